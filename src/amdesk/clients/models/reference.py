"""Reference data of the client archive: what an industry preset supplies and an admin may edit."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.clients.completeness import FIELD_CHOICES, field_label
from amdesk.core.i18n import localized


class PresetItem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("item", "name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class ProductLine(PresetItem):
    class Meta(PresetItem.Meta):
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")


class VipLevel(PresetItem):
    """VIP levels 客户级别 of an industry, highest first (bank: diamond, gold, silver…)."""

    class Meta(PresetItem.Meta):
        verbose_name = _("VIP level")
        verbose_name_plural = _("VIP levels")


class Product(PresetItem):
    """One product of the catalogue; its margin drives the simulated profit contribution 模拟利润."""

    line = models.ForeignKey(
        ProductLine, verbose_name=_("product line"), on_delete=models.PROTECT, related_name="products"
    )
    # Annual net margin on the balance (deposit spread, loan spread after funds transfer pricing,
    # fee rate on wealth products…), in percent. The business sets it; nothing in code assumes it.
    margin_percent = models.DecimalField(
        _("annual margin (%)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
    )
    counts_to_aum = models.BooleanField(
        _("counts to AUM"),
        default=True,
        help_text=_("Client assets (deposits, wealth, funds) count; loans do not."),
    )

    class Meta(PresetItem.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")


class Tag(models.Model):
    name = models.CharField(pgettext_lazy("tag", "name"), max_length=30, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CreditRatingItem(PresetItem):
    """One line of the credit rating form 客户信用评定表, scored from 0 to its maximum."""

    max_score = models.PositiveSmallIntegerField(_("maximum score"), validators=[MinValueValidator(1)])

    class Meta(PresetItem.Meta):
        verbose_name = _("credit rating item")
        verbose_name_plural = _("credit rating items")


class CreditRatingClass(models.Model):
    """A rating class (AAA, AA…) reached from a total score: the highest class whose minimum is met."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    min_score = models.PositiveSmallIntegerField(_("minimum total score"))
    description = models.CharField(_("description"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("credit rating class")
        verbose_name_plural = _("credit rating classes")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return self.code


class ArchiveRequirement(models.Model):
    """One field the archive completeness rate 客户档案完备率 asks for, for one kind of client."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("All clients")
        INDIVIDUAL = "individual", _("Individuals")
        CORPORATE = "corporate", _("Corporates")

    field = models.CharField(_("field"), max_length=30, choices=FIELD_CHOICES)
    applies_to = models.CharField(
        _("applies to"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("archive requirement")
        verbose_name_plural = _("archive requirements")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["field", "applies_to"], name="archive_requirement_unique")
        ]

    def __str__(self) -> str:
        return f"{field_label(self.field)} ({self.get_applies_to_display()})"


class ClientSettings(models.Model):
    """Numbers of the client archive the business may change; one row, edited in the admin."""

    big_account_min_contacts = models.PositiveSmallIntegerField(
        _("contacts a big account needs"), default=3, validators=[MinValueValidator(1)]
    )
    complete_at_percent = models.PositiveSmallIntegerField(
        _("completeness at which an archive counts as complete (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    aum_chart_months = models.PositiveSmallIntegerField(
        _("months shown in the AUM chart"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("client archive settings")
        verbose_name_plural = _("client archive settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ClientSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
