"""Reference data of the client archive: what an industry preset supplies and an admin may edit."""

from decimal import Decimal

from django.core.exceptions import ValidationError
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


class BadgeColour(models.TextChoices):
    """The page's badge colours (Bootstrap's), so a colour set in the admin is always one the theme has."""

    RED = "danger", _("Red")
    ORANGE = "warning", _("Orange")
    BLUE = "primary", _("Blue")
    GREEN = "success", _("Green")
    CYAN = "info", _("Cyan")
    GREY = "secondary", _("Grey")
    DARK = "dark", _("Dark")


class ClientClass(PresetItem):
    """What tiers and grades share: a badge colour and the other words a file may use for them."""

    colour = models.CharField(
        _("colour"), max_length=12, choices=BadgeColour.choices, default=BadgeColour.GREY
    )
    aliases = models.CharField(
        _("other words in files"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated words an imported sheet may use for it besides its name and code."),
    )

    class Meta(PresetItem.Meta):
        abstract = True

    def words(self) -> list[str]:
        """Every word that means this item in an imported cell: name, code, English name, aliases."""
        extra = [word.strip() for word in self.aliases.replace("，", ",").split(",")]
        return [word for word in (self.name, self.code, self.name_en, *extra) if word]


class ClientTier(ClientClass):
    """A client tier 客户分层 of an industry (bank: 重点客户, 一般客户), highest first.

    Key tiers are visited first on a proposed schedule and counted as key clients on desks and
    reports; a new client without a tier gets the lowest active tier (the last in order).
    """

    is_key = models.BooleanField(
        _("key clients"),
        default=False,
        help_text=_("Clients of this tier are visited first and counted as key clients."),
    )

    class Meta(PresetItem.Meta):
        verbose_name = _("client tier")
        verbose_name_plural = _("client tiers")

    def clean(self):
        # New clients get the lowest active tier: retiring the last one would leave them none.
        others = ClientTier.objects.filter(is_active=True).exclude(pk=self.pk)
        if not self.is_active and not others.exists():
            raise ValidationError({"is_active": _("Keep at least one tier active: new clients get one.")})

    @classmethod
    def default_pk(cls) -> int | None:
        """The tier a new client gets when none is given (a callable field default: never a literal)."""
        return (
            cls.objects.filter(is_active=True).order_by("-order", "-id").values_list("pk", flat=True).first()
        )


class ClientGrade(ClientClass):
    """A client grade 客户等级 of an industry (tobacco retailers 一级…五级).

    `rank` orders grades for rules: a higher rank is a better grade, so "grade 3 and above may be
    recommended" reads `grade__rank__gte=3` whatever the grades are called.
    """

    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Higher is better; rules such as “grade 3 and above” compare ranks.")
    )

    class Meta(PresetItem.Meta):
        verbose_name = _("client grade")
        verbose_name_plural = _("client grades")
        ordering = ["order", "code"]


def default_tier():
    """Client.tier's default: the lowest active tier (module-level, so migrations can name it)."""
    return ClientTier.default_pk()


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
