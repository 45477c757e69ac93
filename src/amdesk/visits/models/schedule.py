"""The weekly visit schedule 客户访问日程表: per weekday a route 拜访线路 of clients."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.clients.models import Client
from amdesk.core.fields import NoteField

from .visit import Visit


class VisitSchedule(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Returned for changes")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="visit_schedules",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField(_("week of"))  # a Monday
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = NoteField(_("supervisor's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("visit schedule")
        verbose_name_plural = _("visit schedules")
        ordering = ["-week_start", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="schedule_one_per_owner_and_week"),
        ]
        indexes = [models.Index(fields=["org_node", "week_start"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.week_start}"

    def get_absolute_url(self) -> str:
        return reverse("visits:schedule", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.PROPOSED, self.State.RETURNED)


class ScheduleEntry(models.Model):
    """One client on one day's route; `position` is its place on the route."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("Overdue by norm")
        DUE = "due", _("Due by norm")
        FOLLOW_UP = "follow_up", _("Follow-up planned")
        INSPECTION = "inspection", _("Post-loan inspection due")
        REQUEST = "request", _("Client's request")
        MANUAL = "manual", _("Added by hand")

    schedule = models.ForeignKey(VisitSchedule, on_delete=models.CASCADE, related_name="entries")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    position = models.PositiveSmallIntegerField(_("order on the route"), default=0)
    reason = models.CharField(_("why"), max_length=12, choices=Reason.choices, default=Reason.MANUAL)
    mode = models.CharField(_("mode"), max_length=10, choices=Visit.Mode.choices, default=Visit.Mode.ON_SITE)
    strategy = models.CharField(_("service strategy"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        ordering = ["day", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "client", "day"], name="entry_one_per_client_and_day"
            ),
        ]
        indexes = [models.Index(fields=["client", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.client}"
