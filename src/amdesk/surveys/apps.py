from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "amdesk.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from amdesk.clients.signals import clients_handed_over

        from .receivers import invitations_follow_handed_over_clients

        clients_handed_over.connect(
            invitations_follow_handed_over_clients,
            dispatch_uid="surveys.invitations_follow_handed_over_clients",
        )
