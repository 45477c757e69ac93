"""What the desk shows of service tickets, and the alerts a user has."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from amdesk.orgs.access import oversees

from ..models import OPEN_STATES, ServiceAlert, SlaStatus, TicketState
from ..workflow import OVERSEER_ROLES
from .tickets import tickets_for, visible_alerts


def alerts_for(user, *, unread_only: bool = False) -> QuerySet:
    """The user's own alerts (warnings for his tickets, escalations to him), newest first."""
    alerts = ServiceAlert.objects.filter(recipient=user).select_related("ticket", "ticket__client")
    return alerts.filter(read_at__isnull=True) if unread_only else alerts


def desk_tickets(user, *, now: datetime | None = None) -> dict:
    """Counts for the desk in a fixed number of queries (4 for an overseer, 2 otherwise):
    mine_open, mine_due_soon, mine_breached, alerts_unread; and for those who oversee others,
    scope_breached (open tickets in their scope past a deadline), awaiting_approval (with
    may_approve: whether the user is one who approves) and owner_left
    (open tickets whose owner has left: to reassign, see tickets_owner_left)."""
    now = now or timezone.now()
    visible = tickets_for(user, now=now).filter(state__in=OPEN_STATES)
    mine = visible.filter(owner=user).aggregate(
        open=Count("pk"),
        due_soon=Count("pk", filter=Q(sla_status=SlaStatus.DUE_SOON)),
        breached=Count("pk", filter=Q(sla_status=SlaStatus.BREACHED)),
    )
    figures = {
        "mine_open": mine["open"],
        "mine_due_soon": mine["due_soon"],
        "mine_breached": mine["breached"],
        # Counted as the lists show them: alerts on tickets reassigned out of his scope are gone.
        "alerts_unread": visible_alerts(user, unread_only=True).count(),
        "oversees": oversees(user),
    }
    if figures["oversees"]:
        others = visible.exclude(owner=user).aggregate(
            breached=Count("pk", filter=Q(sla_status=SlaStatus.BREACHED)),
            awaiting=Count("pk", filter=Q(state=TicketState.AWAITING_APPROVAL)),
            owner_left=Count("pk", filter=Q(owner__is_active=False)),
        )
        figures["scope_breached"] = others["breached"]
        figures["awaiting_approval"] = others["awaiting"]
        # The service desk oversees tickets but does not approve remedies (workflow.OVERSEER).
        figures["may_approve"] = user.roles.filter(code__in=OVERSEER_ROLES).exists()
        figures["owner_left"] = others["owner_left"]
    return figures


def tickets_owner_left(viewer, *, now: datetime | None = None) -> QuerySet:
    """Open tickets in the viewer's scope whose responsible account manager has left (or may no
    longer sign in): nobody works on them until the service desk or a supervisor reassigns them.

    A ticket always has an owner (there is no "unassigned" ticket): when a person leaves, his
    clients are handed over (and their open tickets follow, see services.tickets_follow_clients);
    until then, or for tickets left behind, this is the queue of tickets to reassign."""
    return tickets_for(viewer, now=now).filter(state__in=OPEN_STATES, owner__is_active=False)
