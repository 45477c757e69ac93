from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "amdesk.service"
    label = "service"
    verbose_name = _("Service")

    def ready(self):
        from amdesk.clients.signals import clients_handed_over

        from .receivers import tickets_follow_handed_over_clients

        clients_handed_over.connect(
            tickets_follow_handed_over_clients, dispatch_uid="service.tickets_follow_handed_over_clients"
        )
