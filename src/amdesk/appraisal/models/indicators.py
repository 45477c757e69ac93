"""The indicator library: what can be measured of a person in a period, as data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField
from amdesk.core.i18n import localized


class Dimension(models.Model):
    """A dimension of the library (获客 acquire, 保有 retain, 提升 grow, 产品, 服务, 品牌, 终端…):
    preset data."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator dimension")
        verbose_name_plural = _("indicator dimensions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class Indicator(models.Model):
    """One indicator: how a number is obtained for a person and a period (a registered source with
    parameters, or a manual entry), its unit and whether higher or lower is better."""

    MANUAL = "manual"

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_en = models.CharField(_("English unit"), max_length=30, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    # A code of amdesk.appraisal.sources.SOURCES, or "manual" (a value entered per person and period).
    source = models.CharField(_("source"), max_length=48)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description = NoteField(_("description"), blank=True)
    # Optional indicators (the tobacco library's 可选指标) are offered but not in the preset schemes.
    optional = models.BooleanField(_("optional"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["dimension__order", "order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def unit_label(self) -> str:
        return localized(self.unit, self.unit_en)

    @property
    def is_manual(self) -> bool:
        return self.source == self.MANUAL

    def clean(self):
        super().clean()
        from amdesk.appraisal.sources import validate_source

        validate_source(self.source, self.params)


class ManualValue(models.Model):
    """A value the system cannot know, entered for one person and one period, with who and when."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="manual_values",
        limit_choices_to={"source": Indicator.MANUAL},
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = NoteField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("manual indicator value")
        verbose_name_plural = _("manual indicator values")
        ordering = ["-period_start", "indicator", "staff"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "staff", "period_start", "period_end"],
                name="manual_value_one_per_period",
                violation_error_message=_(
                    "This person already has a value of this indicator for the period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="manual_value_period_order",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.staff_id} {self.period_start}: {self.value}"
