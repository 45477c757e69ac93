from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """待办与通知: one inbox of what waits for the user's action across modules, and the
    notification centre (bell, list, daily digest). It reads the apps below it."""

    name = "amdesk.notifications"
    label = "notifications"
    verbose_name = _("Inbox and notifications")
