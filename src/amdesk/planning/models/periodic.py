"""The weekly and monthly documents of seed 003, all on the periodic-document workflow (workflow.py):

- weekly work arrangement 周工作安排表: focus of information collection, of product or brand work,
  other arrangements (the week's visit schedule is read from the visits capability, not copied);
- weekly summary 周工作总结: was the week's plan sound, was it effective (indicator progress against
  the month's targets is computed from the registrations, not typed);
- monthly work plan 月度工作计划表: the month's focus and the visit plan (clients to visit, of them
  key clients; prefilled from the client archive); the indicator table is computed;
- monthly summary 月度工作总结: accuracy of the month's analysis, lessons (completion is computed).

A week is identified by its Monday (`week_start`), a month by its first day (`month`)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .document import DocumentEvent, PeriodicDocument

MAX_CLIENTS = 100_000


def _url(name: str, period: str, owner_id: int) -> str:
    return reverse(f"planning:{name}", args=[period]) + f"?owner={owner_id}"


class WeeklyArrangement(PeriodicDocument):
    week_start = models.DateField(_("week of"))  # a Monday
    info_focus = NoteField(_("focus of information collection"), blank=True)
    product_focus = NoteField(_("focus of product or brand work"), blank=True)
    other = NoteField(_("other arrangements"), blank=True)

    class Meta:
        verbose_name = _("weekly work arrangement")
        verbose_name_plural = _("weekly work arrangements")
        ordering = ["-week_start", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="weekly_arrangement_one_per_week"),
        ]
        indexes = [models.Index(fields=["org_node", "week_start"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.week_start}"

    def get_absolute_url(self) -> str:
        return _url("arrangement", self.week_start.isoformat(), self.owner_id)


class WeeklySummary(PeriodicDocument):
    week_start = models.DateField(_("week of"))
    plan_sound = models.BooleanField(_("the week's plan was sound"), null=True, blank=True)
    soundness = NoteField(_("soundness of the plan"), blank=True)
    effective = models.BooleanField(_("the week's work was effective"), null=True, blank=True)
    effectiveness = NoteField(_("effectiveness of the work"), blank=True)
    notes = NoteField(_("other remarks"), blank=True)
    # The computed figures as they stood when the summary was last submitted (selectors.plans):
    # shown instead of the live ones while submitted or reviewed; cleared when it is returned.
    figures = models.JSONField(_("figures at submission"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("weekly summary")
        verbose_name_plural = _("weekly summaries")
        ordering = ["-week_start", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="weekly_summary_one_per_week"),
        ]
        indexes = [models.Index(fields=["org_node", "week_start"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.week_start}"

    def get_absolute_url(self) -> str:
        return _url("weekly-summary", self.week_start.isoformat(), self.owner_id)


class MonthlyPlan(PeriodicDocument):
    month = models.DateField(_("month"))  # its first day
    focus = NoteField(_("focus of the month"), blank=True)
    clients_to_visit = models.PositiveIntegerField(
        _("clients to visit"), default=0, validators=[MaxValueValidator(MAX_CLIENTS)]
    )
    key_clients_to_visit = models.PositiveIntegerField(
        _("of them key clients"), default=0, validators=[MaxValueValidator(MAX_CLIENTS)]
    )
    key_clients_note = NoteField(_("key clients to visit (names)"), blank=True)

    class Meta:
        verbose_name = _("monthly work plan")
        verbose_name_plural = _("monthly work plans")
        ordering = ["-month", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="monthly_plan_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(key_clients_to_visit__lte=models.F("clients_to_visit")),
                name="monthly_plan_key_within_clients",
                violation_error_message=_("Key clients to visit cannot be more than the clients to visit."),
            ),
        ]
        indexes = [models.Index(fields=["org_node", "month"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return _url("monthly-plan", self.month.strftime("%Y-%m"), self.owner_id)

    @property
    def key_share(self) -> float | None:
        """Key clients in percent of the clients to visit (None without clients to visit)."""
        if not self.clients_to_visit:
            return None
        return round(100 * self.key_clients_to_visit / self.clients_to_visit, 1)


class MonthlySummary(PeriodicDocument):
    month = models.DateField(_("month"))
    analysis_accuracy = NoteField(_("accuracy of the month's analysis and plan"), blank=True)
    lessons = NoteField(_("lessons: what went well, what fell short"), blank=True)
    # The computed figures as they stood when the summary was last submitted (selectors.plans):
    # shown instead of the live ones while submitted or reviewed; cleared when it is returned.
    figures = models.JSONField(_("figures at submission"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly summary")
        verbose_name_plural = _("monthly summaries")
        ordering = ["-month", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="monthly_summary_one_per_month"),
        ]
        indexes = [models.Index(fields=["org_node", "month"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return _url("monthly-summary", self.month.strftime("%Y-%m"), self.owner_id)


class WeeklyArrangementEvent(DocumentEvent):
    document = models.ForeignKey(WeeklyArrangement, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("weekly arrangement step")
        verbose_name_plural = _("weekly arrangement steps")


class WeeklySummaryEvent(DocumentEvent):
    document = models.ForeignKey(WeeklySummary, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("weekly summary step")
        verbose_name_plural = _("weekly summary steps")


class MonthlyPlanEvent(DocumentEvent):
    document = models.ForeignKey(MonthlyPlan, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("monthly plan step")
        verbose_name_plural = _("monthly plan steps")


class MonthlySummaryEvent(DocumentEvent):
    document = models.ForeignKey(MonthlySummary, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("monthly summary step")
        verbose_name_plural = _("monthly summary steps")
