from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amdesk.accounts"
    label = "accounts"
    verbose_name = _("Sign-in and security")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the audit receivers)
