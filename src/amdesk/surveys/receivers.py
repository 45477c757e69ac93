"""What the surveys capability does when other capabilities report something (connected in apps.py).

Receivers only translate the signal into a call of one service: the rules live in the services."""

from .services.handover import invitations_follow_clients


def invitations_follow_handed_over_clients(sender, *, client_ids, to_staff, actor, request=None, **kwargs):
    """A client handover (clients.signals.clients_handed_over) moves his pending invitations too."""
    invitations_follow_clients(actor=actor, client_ids=client_ids, to_staff=to_staff, request=request)
