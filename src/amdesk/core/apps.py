from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "amdesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import schema  # noqa: F401 (registers the OpenAPI extensions)
