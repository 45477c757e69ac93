"""Vocabularies of the service capability (generic: every industry uses the same words)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TicketType(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    QUALITY = "quality", _("Product or service quality feedback")
    CONSULTATION = "consultation", _("Consultation")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    VISIT = "visit", pgettext_lazy("ticket channel", "Visit")
    PHONE = "phone", pgettext_lazy("ticket channel", "Phone")
    COUNTER = "counter", pgettext_lazy("ticket channel", "Counter")
    ONLINE = "online", pgettext_lazy("ticket channel", "Online")
    HOTLINE = "hotline", pgettext_lazy("ticket channel", "Service hotline")
    REGULATOR = "regulator", pgettext_lazy("ticket channel", "Regulator referral")


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    NORMAL = "normal", pgettext_lazy("priority", "Normal")
    HIGH = "high", pgettext_lazy("priority", "High")
    URGENT = "urgent", pgettext_lazy("priority", "Urgent")


class TicketState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("ticket state", "Received")
    FIRST_FEEDBACK = "first_feedback", pgettext_lazy("ticket state", "First feedback given")
    INVESTIGATING = "investigating", pgettext_lazy("ticket state", "Investigating")
    WAITING_CLIENT = "waiting_client", pgettext_lazy("ticket state", "Waiting on the client")
    AWAITING_APPROVAL = "awaiting_approval", pgettext_lazy("ticket state", "Awaiting supervisor approval")
    RESOLVED = "resolved", pgettext_lazy("ticket state", "Resolved")
    CONFIRMED = "confirmed", pgettext_lazy("ticket state", "Client confirmed")
    CLOSED = "closed", pgettext_lazy("ticket state", "Closed")


class Remedy(models.TextChoices):
    NONE = "", pgettext_lazy("remedy", "None")
    COMPENSATION = "compensation", pgettext_lazy("remedy", "Compensation")
    REPLACEMENT = "replacement", pgettext_lazy("remedy", "Replacement goods")


class Approval(models.TextChoices):
    NONE = "", pgettext_lazy("approval", "Not decided")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")


class RatedVia(models.TextChoices):
    NONE = "", pgettext_lazy("rated via", "Not rated")
    STAFF = "staff", pgettext_lazy("rated via", "Recorded by the account manager")
    LINK = "link", pgettext_lazy("rated via", "By the client through a link")


class SlaStatus(models.TextChoices):
    """What the ticket's current deadline looks like (annotated as `sla_status`)."""

    ON_TIME = "on_time", pgettext_lazy("sla", "On time")
    DUE_SOON = "due_soon", pgettext_lazy("sla", "Due soon")
    BREACHED = "breached", pgettext_lazy("sla", "Breached")
    PAUSED = "paused", pgettext_lazy("sla", "Paused")
    MET = "met", pgettext_lazy("sla", "Met")
    MISSED = "missed", pgettext_lazy("sla", "Missed")


class DeadlineKind(models.TextChoices):
    FIRST_FEEDBACK = "first_feedback", pgettext_lazy("deadline", "First feedback")
    RESOLUTION = "resolution", pgettext_lazy("deadline", "Resolution")


class AlertKind(models.TextChoices):
    WARNING = "warning", pgettext_lazy("alert", "Deadline near")
    BREACH = "breach", pgettext_lazy("alert", "Deadline breached")
