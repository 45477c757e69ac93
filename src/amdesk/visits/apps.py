from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "amdesk.visits"
    label = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from amdesk.clients.signals import clients_handed_over

        from .receivers import visit_work_follows_handed_over_clients

        clients_handed_over.connect(
            visit_work_follows_handed_over_clients,
            dispatch_uid="visits.visit_work_follows_handed_over_clients",
        )
