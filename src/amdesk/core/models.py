from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_events import AuditEvent, AuditResult


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntry(models.Model):
    """One line of the append-only audit log.

    Append-only three times over: the model refuses save() of an existing row and delete(),
    the admin offers no change or delete, and a database trigger refuses UPDATE (and DELETE on
    PostgreSQL; on SQLite the test runner's flush deletes rows, so only UPDATE is refused there).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint: the log must outlive whatever it names, and deleting a user must
    # not cascade into (or null out) his history.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    # Stored as text, not as DB choices: the events are a code registry (audit_events.AuditEvent),
    # so a capability adds its events without a migration of core.
    event = models.CharField(_("event"), max_length=64)
    result = models.CharField(_("result"), max_length=16, choices=AuditResult.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["event", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.event} {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def get_event_display(self) -> str:
        """The event's label; an event code no longer in the registry shows as stored."""
        try:
            return str(AuditEvent(self.event).label)
        except ValueError:
            return self.event


class SiteProfile(models.Model):
    """The installation's identity: one row, edited in the admin."""

    industry = models.CharField(_("industry preset"), max_length=32, default="bank")
    organisation_name = models.CharField(_("organisation name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")

    def __str__(self) -> str:
        return self.organisation_name or self.industry

    @classmethod
    def current(cls) -> "SiteProfile":
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile


# The working-day calendar's tables live in their own module (kept out of this one's way).
from .calendar_models import CalendarDay, CalendarSettings, CalendarSource, CalendarYear  # noqa: E402

__all__ = [
    "AppendOnlyError",
    "AuditEntry",
    "CalendarDay",
    "CalendarSettings",
    "CalendarSource",
    "CalendarYear",
    "SiteProfile",
]
