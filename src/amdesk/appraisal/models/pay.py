"""Pay components (not a payroll): base pay by assets managed and grade, a monthly grade allowance,
performance pay from the score and a deferred share (seed 001; seed 002 第4篇)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PayBand(models.Model):
    """Base pay per month for an AM whose clients' assets are at least `min_aum` (and, when set,
    who holds at least `min_grade`); the highest band that applies wins."""

    name = models.CharField(_("name"), max_length=80)
    min_aum = models.DecimalField(_("assets managed from"), max_digits=18, decimal_places=2, default=0)
    min_grade = models.ForeignKey(
        "orgs.LadderGrade",
        verbose_name=_("from grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_monthly = models.DecimalField(_("base pay a month"), max_digits=12, decimal_places=2, default=0)
    formal_contract = models.BooleanField(_("formal contract and social insurance"), default=False)
    opening_bonus_only = models.BooleanField(
        _("account-opening bonus only"),
        default=False,
        help_text=_("Without results: nothing but the bonus per account opened."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pay band")
        verbose_name_plural = _("pay bands")
        ordering = ["order", "min_aum"]

    def __str__(self) -> str:
        return self.name


class GradeAllowance(models.Model):
    grade = models.OneToOneField(
        "orgs.LadderGrade", verbose_name=_("ladder grade"), on_delete=models.CASCADE, related_name="allowance"
    )
    monthly = models.DecimalField(_("allowance a month"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("grade allowance")
        verbose_name_plural = _("grade allowances")
        ordering = ["grade__order"]

    def __str__(self) -> str:
        return f"{self.grade}: {self.monthly}"


class PaySettings(models.Model):
    """The numbers of the pay components the business sets; one row, edited in the admin."""

    opening_bonus = models.DecimalField(
        _("bonus per account opened"), max_digits=10, decimal_places=2, default=50
    )
    performance_pay_full = models.DecimalField(
        _("performance pay at a score of 100 (a month)"), max_digits=12, decimal_places=2, default=3000
    )
    performance_floor_score = models.DecimalField(
        _("no performance pay below this score"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    deferred_percent = models.PositiveSmallIntegerField(
        _("share of performance pay deferred (%)"), default=20, validators=[MaxValueValidator(100)]
    )
    deferred_months = models.PositiveSmallIntegerField(_("months the deferred share is held"), default=12)

    class Meta:
        verbose_name = _("pay settings")
        verbose_name_plural = _("pay settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PaySettings":
        return cls.objects.get_or_create(pk=1)[0]
