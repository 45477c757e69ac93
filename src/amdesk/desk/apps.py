from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """我的工作台: the top of the app stack. It reads every other app; nothing reads it."""

    name = "amdesk.desk"
    label = "desk"
    verbose_name = _("My desk")
