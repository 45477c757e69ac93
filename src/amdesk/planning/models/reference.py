"""Reference data and numbers of the planning capability: performance items per industry (presets)
and one settings row (admin)."""

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amdesk.clients.models.reference import PresetItem
from amdesk.core.i18n import localized


class PerformanceItem(PresetItem):
    """An indicator targets are set on, with the unit it is counted in: a line of the daily
    performance registration 每日业绩登记表 (bank: insurance, online banking, phone banking, mobile
    banking, cards…) when `source` is empty, else a figure computed from the system's data by the
    source of that code (planning.sources: new clients in the logs, visits made, new clients in
    the archive…), which is not registered by hand. Both are data of the industry preset."""

    unit = models.CharField(_("unit"), max_length=10, blank=True)
    unit_en = models.CharField(_("English unit"), max_length=20, blank=True)
    source = models.CharField(
        _("computed from"),
        max_length=30,
        blank=True,
        help_text=_("Empty: registered daily. Otherwise the code of the data it is computed from."),
    )

    class Meta(PresetItem.Meta):
        verbose_name = _("performance item")
        verbose_name_plural = _("performance items")

    @property
    def unit_label(self) -> str:
        return localized(self.unit, self.unit_en)

    @property
    def is_registered(self) -> bool:
        return not self.source

    def clean(self):
        from ..sources import SOURCES

        if self.source and self.source not in SOURCES:
            raise ValidationError({"source": _("Unknown source of figures.")})


class PlanningSettings(models.Model):
    """Numbers of the planning capability the business may change; one row, edited in the admin."""

    log_due_time = models.TimeField(
        _("daily work log due by (time of day)"),
        default=time(20, 0),
        help_text=_("A log is due at this time on its working day (the next working day for another day)."),
    )
    missing_days = models.PositiveSmallIntegerField(
        _("days back the team page lists missing logs"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(93)],
    )
    max_period_days = models.PositiveSmallIntegerField(
        _("longest period of a missing-log list (days)"),
        default=93,
        validators=[MinValueValidator(7), MaxValueValidator(400)],
    )
    target_on_track_percent = models.PositiveSmallIntegerField(
        _("on track from (percent of the expected share)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "An indicator is on track while its achieved share of the month's target is at least this "
            "percentage of the share of the month's working days elapsed; below, it is behind."
        ),
    )
    targets_due_working_days = models.PositiveSmallIntegerField(
        _("monthly targets due (working days into the month)"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_("Proposed targets are due by the log due time on this working day of the month."),
    )

    arrangement_due_offset = models.PositiveSmallIntegerField(
        _("weekly arrangement due (working days after the week's first)"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_(
            "0: the weekly work arrangement is due by the log due time on the week's first working day."
        ),
    )
    weekly_summary_due_offset = models.PositiveSmallIntegerField(
        _("weekly summary due (working days before the week's last)"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0: the weekly summary is due by the log due time on the week's last working day."),
    )
    monthly_plan_due_working_days = models.PositiveSmallIntegerField(
        _("monthly work plan due (working days into the month)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    monthly_summary_due_working_days = models.PositiveSmallIntegerField(
        _("monthly summary due (working days into the next month)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    sales_report_due_day = models.PositiveSmallIntegerField(
        _("monthly sales analysis report due (day of the next month)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "The monthly client sales analysis report is due by the log due time on this day of the "
            "next month, or on the next working day when it is not one."
        ),
    )
    sales_report_aum_drop_percent = models.PositiveSmallIntegerField(
        _("large AUM drop (percent)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The monthly sales report lists clients whose AUM fell at least this much in the month."),
    )

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self):
        if self.pk not in (None, 1):
            raise ValidationError(_("There is only one settings row."))

    @classmethod
    def current(cls) -> "PlanningSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
