"""Configuration of the service capability: SLA rows per type and priority, and one settings row."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Priority, TicketType


class SlaPolicy(models.Model):
    """How fast a ticket of one type and priority is answered and resolved.

    An empty type or priority matches any; the most specific matching row applies (see for_ticket).
    The default row (any type, any priority: 6 hours wall clock, 3 working days) is seeded."""

    ticket_type = models.CharField(
        _("ticket type"),
        max_length=16,
        choices=TicketType.choices,
        blank=True,
        help_text=_("Empty: any type."),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, blank=True, help_text=_("Empty: any priority.")
    )
    first_feedback_hours = models.PositiveSmallIntegerField(
        _("first feedback within (hours, wall clock)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    resolution_working_days = models.PositiveSmallIntegerField(
        _("resolution within (working days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    warn_before_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the time is left (%)"),
        default=25,
        validators=[MaxValueValidator(90)],
        help_text=_("Used when no minutes are given."),
    )
    warn_before_minutes = models.PositiveIntegerField(
        _("warn this many minutes before the deadline"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: use the share above."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["ticket_type", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "priority"],
                condition=Q(is_active=True),
                name="sla_one_active_per_key",
                violation_error_message=_(
                    "An active SLA rule for this ticket type and priority exists already."
                ),
            ),
        ]

    def __str__(self) -> str:
        kind = self.get_ticket_type_display() if self.ticket_type else _("any type")
        level = self.get_priority_display() if self.priority else _("any priority")
        return f"{kind} / {level}"

    def warn_before(self, span: timedelta) -> timedelta:
        """How long before a deadline `span` after the clock started the owner is warned."""
        if self.warn_before_minutes:
            return min(timedelta(minutes=self.warn_before_minutes), span)
        return span * self.warn_before_percent / 100

    @classmethod
    def for_ticket(cls, ticket_type: str, priority: str) -> "SlaPolicy":
        """The policy a ticket of this type and priority follows; an unsaved row with the defaults
        when none is configured (the migration seeds an editable default row).

        The most specific active row wins: the row for this type and priority; else the rows for
        this type (any priority) and for this priority (any type), and when both exist the stricter
        of them applies, deadline by deadline (an urgent complaint gets the urgent row's hours if
        fewer, the complaint row's days if fewer; warnings come from the type's row); else the
        default row (any type, any priority). So a suggestion row may give more time than the
        default, and a row for one type never loosens the one for a priority."""
        rows = list(
            cls.objects.filter(
                Q(ticket_type=ticket_type) | Q(ticket_type=""),
                Q(priority=priority) | Q(priority=""),
                is_active=True,
            )
        )
        by_key = {(bool(row.ticket_type), bool(row.priority)): row for row in rows}
        if (True, True) in by_key:
            return by_key[(True, True)]
        partial = [by_key[key] for key in ((True, False), (False, True)) if key in by_key]
        if len(partial) == 1:
            return partial[0]
        if partial:
            first = partial[0]
            return cls(
                ticket_type=first.ticket_type,
                priority=first.priority,
                first_feedback_hours=min(row.first_feedback_hours for row in partial),
                resolution_working_days=min(row.resolution_working_days for row in partial),
                warn_before_percent=first.warn_before_percent,
                warn_before_minutes=first.warn_before_minutes,
            )
        return by_key.get((False, False)) or cls()


class ServiceSettings(models.Model):
    """Numbers of the service capability the business may change; one row, edited in the admin."""

    reopen_window_days = models.PositiveSmallIntegerField(
        _("days after resolution a ticket may be reopened"),
        default=15,
        validators=[MaxValueValidator(366)],
    )
    repeat_window_days = models.PositiveSmallIntegerField(
        _("days within which another complaint of the same client counts as a repeat"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    rating_link_hours = models.PositiveSmallIntegerField(
        _("hours a rating link stays valid"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    rating_rate_limit = models.PositiveSmallIntegerField(
        _("requests per caller address on the public rating page, per window"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    rating_rate_window_seconds = models.PositiveIntegerField(
        _("rate-limit window of the public rating page (seconds)"),
        default=600,
        validators=[MinValueValidator(10)],
    )
    first_feedback_target = models.PositiveSmallIntegerField(
        _("timely first feedback target (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    handling_rate_target = models.PositiveSmallIntegerField(
        _("handling rate target (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    satisfaction_target = models.PositiveSmallIntegerField(
        _("satisfaction rate target (%)"), default=90, validators=[MaxValueValidator(100)]
    )
    satisfied_from = models.PositiveSmallIntegerField(
        _("lowest score counted as satisfied"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    signature_max_kb = models.PositiveSmallIntegerField(
        _("largest signature image (KB)"), default=200, validators=[MinValueValidator(10)]
    )
    backdate_max_days = models.PositiveSmallIntegerField(
        _("how many days back a ticket may be recorded as received"),
        default=7,
        validators=[MaxValueValidator(366)],
        help_text=_("A complaint taken on paper is entered later; older ones are refused."),
    )
    # The running chain of the self-rescheduling SLA sweep task (tasks.py): a run that does not
    # carry this token belongs to an older chain and stops instead of scheduling another run.
    sweep_chain = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self):
        if self.pk not in (None, 1):
            raise ValidationError(_("There is only one settings row."))

    @classmethod
    def current(cls) -> "ServiceSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
