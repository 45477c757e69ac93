"""Reports sent by e-mail on a schedule: which report, for which recipients, in which format, when."""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..framework.base import REGISTRY


class ReportSchedule(models.Model):
    """Each month (or quarter) on `day` at `at`, the report of the period just finished goes to each
    recipient, gathered in HIS scope (a supervisor gets his team's figures, a head his branch's).
    Each recipient's message is a ReportDelivery (sent once); `last_sent_for` holds the period code
    once every recipient has his, so later runs pass the schedule by without looking further."""

    class PeriodKind(models.TextChoices):
        PREVIOUS_MONTH = "month", _("Previous month")
        PREVIOUS_QUARTER = "quarter", _("Previous quarter")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        PDF = "pdf", _("PDF")

    name = models.CharField(_("name"), max_length=100)
    report_code = models.CharField(_("report"), max_length=60)
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.PREVIOUS_MONTH
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="report_schedules"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.PDF)
    day = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1–28, so that every month has it."),
    )
    at = models.TimeField(_("time"), default=time(8, 0))
    enabled = models.BooleanField(_("enabled"), default=True)
    last_sent_for = models.CharField(_("last period sent"), max_length=10, blank=True, editable=False)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__gte=1, day__lte=28),
                name="reports_schedule_day_1_28",
                violation_error_message=_("The day of the month is between 1 and 28 (every month has it)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        report = REGISTRY.get(self.report_code)
        if report is None:
            raise ValidationError({"report_code": _("No report has this code.")})
        if self.period_kind not in report.period_kinds:
            raise ValidationError({"period_kind": _("This report does not cover such periods.")})


class ReportDelivery(models.Model):
    """One recipient's message of one schedule and period: claimed before it is sent (so two runs at
    once send it once), `sent_at` set when the mail backend took it; a failed send deletes the claim,
    so the next run tries that recipient again, and only him."""

    schedule = models.ForeignKey(
        ReportSchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="deliveries"
    )
    period = models.CharField(_("period"), max_length=10)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period", "recipient"], name="reports_delivery_once_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} · {self.period} · {self.recipient}"


class ReportsSettings(models.Model):
    """One row: the token of the self-scheduling send chain (see reports/tasks.py)."""

    send_chain = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("reports settings")
        verbose_name_plural = _("reports settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ReportsSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row
