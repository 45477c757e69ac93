"""The notification centre's data: notifications, each user's preferences, the admin's settings and
the record of digests sent. What waits in the inbox is not stored: it is read live (inbox/)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..kinds import kind_label


class Notification(models.Model):
    """One message to one user. `key` names what it is about (a deadline, a document, a handover):
    a producer running twice meets the unique (user, kind, key) and creates nothing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(pgettext_lazy("notification", "kind"), max_length=32)  # a code of kinds.KINDS
    key = models.CharField(_("dedupe key"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("text"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"]),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.title}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choices: the kinds he switched off (neither created nor mailed) and the daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    muted_kinds = models.JSONField(_("kinds switched off"), default=list, blank=True)
    digest = models.BooleanField(_("daily digest by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class NotificationSettings(models.Model):
    """One row, edited in the admin: when the digest goes out and how far back the sweeps look."""

    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour (local time)"),
        default=8,
        validators=[MaxValueValidator(23)],
        help_text=_("The daily digest goes out at the first run of the job from this hour on."),
    )
    lookback_days = models.PositiveSmallIntegerField(
        _("days the sweeps look back"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Returned documents, handovers and overdue visits older than this raise nothing."),
    )
    # The running chain of the self-rescheduling sweep task (tasks.py), as in service/tasks.py.
    sweep_chain = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self):
        if self.pk not in (None, 1):
            raise ValidationError(_("There is only one settings row."))

    @classmethod
    def current(cls) -> "NotificationSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class DigestLog(models.Model):
    """A digest sent: once per user and day, so the job may run every hour."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    items = models.PositiveIntegerField(_("notifications in it"), default=0)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


__all__ = ["DigestLog", "Notification", "NotificationPreference", "NotificationSettings"]
