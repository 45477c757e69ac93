from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """待办与通知: one inbox of what waits for the user's action across modules, and the
    notification centre (bell, list, daily digest). It reads the apps below it."""

    name = "amdesk.notifications"
    label = "notifications"
    verbose_name = _("Inbox and notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from .stamps import audit_entry_written

        # Every write service audits what it changed: the navigation's cached counts of the people
        # concerned go stale at once (stamps.py), without a hook in any other app.
        post_save.connect(audit_entry_written, sender="core.AuditEntry", dispatch_uid="notifications-stamps")
