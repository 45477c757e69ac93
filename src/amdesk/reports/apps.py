import importlib
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """报表: report generators (the monthly sales analysis report and the supervisors' reports),
    their page, .xlsx and PDF formatters, schedules and e-mail. It reads the apps below it."""

    name = "amdesk.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import generators

        for module in pkgutil.iter_modules(generators.__path__):
            importlib.import_module(f"{generators.__name__}.{module.name}")
