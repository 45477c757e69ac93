"""A service ticket 投诉与质量反馈工单, what happened to it, and what it raised for people."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from amdesk.clients.models import Client, ProductLine
from amdesk.core.fields import NoteField
from amdesk.core.names import surname_of

from .choices import (
    AlertKind,
    Approval,
    Channel,
    DeadlineKind,
    Priority,
    RatedVia,
    Remedy,
    SlaStatus,
    TicketState,
    TicketType,
)

OPEN_STATES = [
    TicketState.RECEIVED,
    TicketState.FIRST_FEEDBACK,
    TicketState.INVESTIGATING,
    TicketState.WAITING_CLIENT,
    TicketState.AWAITING_APPROVAL,
]
DONE_STATES = [TicketState.RESOLVED, TicketState.CONFIRMED, TicketState.CLOSED]


class TicketSequence(models.Model):
    """The last number given in a year, so numbers read TS-2026-000001, TS-2026-000002…"""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket number sequence")
        verbose_name_plural = _("ticket number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    Type = TicketType
    Channel = Channel
    Priority = Priority
    State = TicketState
    Remedy = Remedy
    Approval = Approval
    RatedVia = RatedVia

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="tickets"
    )
    # The responsible AM (the client's owner when the ticket was opened) and the client's node: the scope.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible account manager"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket_type = models.CharField(_("ticket type"), max_length=16, choices=TicketType.choices)
    channel = models.CharField(pgettext_lazy("ticket", "channel"), max_length=12, choices=Channel.choices)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    state = models.CharField(
        pgettext_lazy("ticket", "state"),
        max_length=20,
        choices=TicketState.choices,
        default=TicketState.RECEIVED,
    )
    subject = models.CharField(_("subject"), max_length=120)
    description = NoteField(_("what the client reported"))
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("opened from visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    # SLA: deadlines and the moments the owner is warned, computed from the SlaPolicy at opening
    # and pushed when the clock is paused (see services.sla).
    first_feedback_due = models.DateTimeField(_("first feedback due"))
    first_feedback_warn_at = models.DateTimeField(_("first feedback warning at"))
    resolution_due = models.DateTimeField(_("resolution due"))
    resolution_warn_at = models.DateTimeField(_("resolution warning at"))
    resolution_clock_from = models.DateTimeField(_("resolution clock started at"))
    first_feedback_at = models.DateTimeField(_("first feedback given at"), null=True, blank=True)
    first_feedback = NoteField(_("first feedback given to the client"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("client confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Pause bookkeeping ("waiting on the client"): where it was, since when, and how much was paused.
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_from = models.CharField(
        _("state before the pause"), max_length=20, choices=TicketState.choices, blank=True
    )
    paused_seconds = models.PositiveIntegerField(_("time paused (seconds)"), default=0)
    # The part of the paused time that pushed each deadline (a deadline already passed when the
    # pause began is not pushed), so a change of priority recomputes them the same way.
    first_feedback_paused_seconds = models.PositiveIntegerField(default=0, editable=False)
    resolution_paused_seconds = models.PositiveIntegerField(default=0, editable=False)
    # The last escalation to the supervisor at a breach.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Investigation and the 商品及服务质量信息反馈单 (quality feedback form).
    inspection_notes = NoteField(_("on-site inspection notes"), blank=True)
    cause = NoteField(_("cause"), blank=True)
    remedy = models.CharField(_("proposed remedy"), max_length=16, choices=Remedy.choices, blank=True)
    remedy_detail = models.CharField(_("remedy details"), max_length=200, blank=True)
    form_signature = models.TextField(_("client signature on the form"), blank=True, editable=False)
    form_signer_name = models.CharField(_("form signed by"), max_length=50, blank=True)
    form_signed_at = models.DateTimeField(_("form signed at"), null=True, blank=True, editable=False)
    approval = models.CharField(_("supervisor decision"), max_length=10, choices=Approval.choices, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approval_comment = models.CharField(_("supervisor comment"), max_length=300, blank=True)
    replacement_handed_at = models.DateTimeField(_("replacement handed over at"), null=True, blank=True)
    receipt_signature = models.TextField(_("client signature on the receipt"), blank=True, editable=False)
    receipt_signer_name = models.CharField(_("receipt signed by"), max_length=50, blank=True)
    receipt_signed_at = models.DateTimeField(_("receipt signed at"), null=True, blank=True, editable=False)

    # Outcome.
    resolution = NoteField(_("resolution"), blank=True)
    is_valid = models.BooleanField(_("valid complaint"), null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with the handling"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("client's comment on the handling"), max_length=500, blank=True)
    rated_via = models.CharField(_("rated how"), max_length=8, choices=RatedVia.choices, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rating recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("service ticket")
        verbose_name_plural = _("service tickets")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"]),  # the list's order
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["org_node", "-received_at"]),
            models.Index(fields=["client", "-received_at"]),
            models.Index(fields=["state", "first_feedback_due"]),
            models.Index(fields=["state", "resolution_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="ticket_satisfaction_1_to_5",
                violation_error_message=_("The satisfaction score is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("service:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.state == TicketState.WAITING_CLIENT

    @property
    def is_complaint(self) -> bool:
        return self.ticket_type in (TicketType.COMPLAINT, TicketType.QUALITY)

    @property
    def form_signed(self) -> bool:
        return self.form_signed_at is not None

    @property
    def receipt_signed(self) -> bool:
        return self.receipt_signed_at is not None

    # --- the SLA clock, in Python (lists use the SQL annotations of selectors.tickets) -----------

    def current_deadline(self) -> tuple[str, datetime, datetime | None]:
        """(deadline kind, due, done at) of the deadline that matters now."""
        if self.first_feedback_at is None:
            return DeadlineKind.FIRST_FEEDBACK, self.first_feedback_due, None
        return DeadlineKind.RESOLUTION, self.resolution_due, self.resolved_at

    def sla_status_at(self, now: datetime) -> str:
        kind, due, done = self.current_deadline()
        if done is not None:
            return SlaStatus.MET if done <= due else SlaStatus.MISSED
        if self.is_paused:
            # Paused at or after the deadline: the breach had happened, the pause does not hide it.
            if self.paused_at is not None and self.paused_at >= due:
                return SlaStatus.BREACHED
            return SlaStatus.PAUSED
        if now >= due:
            return SlaStatus.BREACHED
        warn = self.first_feedback_warn_at if kind == DeadlineKind.FIRST_FEEDBACK else self.resolution_warn_at
        return SlaStatus.DUE_SOON if now >= warn else SlaStatus.ON_TIME

    def countdown_at(self, now: datetime) -> timedelta | None:
        """Time left on the running deadline (negative: overdue by); frozen while paused; None when met."""
        _kind, due, done = self.current_deadline()
        if done is not None:
            return None
        if self.is_paused and self.paused_at is not None:
            return due - self.paused_at
        return due - now


class TicketEvent(models.Model):
    """One step of a ticket: who did what, when, from which state to which, with what note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # empty: the client through a link, or the system (escalation)
    at = models.DateTimeField(_("time of the step"), default=timezone.now)
    action = models.CharField(_("step"), max_length=24)
    from_state = models.CharField(_("state before"), max_length=20, choices=TicketState.choices, blank=True)
    to_state = models.CharField(_("state after"), max_length=20, choices=TicketState.choices, blank=True)
    note = NoteField(_("note"), blank=True)
    data = models.JSONField(_("step details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ServiceAlert(models.Model):
    """A deadline warning for the owner or a breach escalated to the supervisor, shown on the desk."""

    Kind = AlertKind
    Deadline = DeadlineKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("alert for"),
        on_delete=models.CASCADE,
        related_name="service_alerts",
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="alerts"
    )
    alert_kind = models.CharField(_("alert"), max_length=10, choices=AlertKind.choices)
    deadline = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices)
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service alert")
        verbose_name_plural = _("service alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            # Once per deadline: a deadline pushed by a pause is a new deadline.
            models.UniqueConstraint(
                fields=["ticket", "alert_kind", "deadline", "due_at"], name="service_alert_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_alert_kind_display()}: {self.ticket}"


class RatingLink(models.Model):
    """A one-time link the client rates the handling with; only the token's sha256 is kept."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="rating_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.created_at:%Y-%m-%d}"

    @property
    def salutation(self) -> str:
        """How the public page greets the client: 王先生 / 王女士 for individuals, else 尊敬的客户."""
        client = self.ticket.client
        surname = surname_of(client.name) if client.kind == client.Kind.INDIVIDUAL else ""
        if surname and client.gender == client.Gender.MALE:
            return pgettext("salutation", "Mr %(surname)s") % {"surname": surname}
        if surname and client.gender == client.Gender.FEMALE:
            return pgettext("salutation", "Ms %(surname)s") % {"surname": surname}
        return pgettext("salutation", "Dear client")
