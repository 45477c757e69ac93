"""What the desk shows of service tickets, and the alerts a user has."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from amdesk.orgs.access import may_hand_over

from ..models import OPEN_STATES, ServiceAlert, SlaStatus, TicketState
from .tickets import tickets_for


def alerts_for(user, *, unread_only: bool = False) -> QuerySet:
    """The user's own alerts (warnings for his tickets, escalations to him), newest first."""
    alerts = ServiceAlert.objects.filter(recipient=user).select_related("ticket", "ticket__client")
    return alerts.filter(read_at__isnull=True) if unread_only else alerts


def desk_tickets(user, *, now: datetime | None = None) -> dict:
    """Counts for the desk in a fixed number of queries (3 for an overseer, 2 otherwise):
    mine_open, mine_due_soon, mine_breached, alerts_unread; and for those who oversee others,
    scope_breached (open tickets in their scope past a deadline) and awaiting_approval."""
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
        "alerts_unread": ServiceAlert.objects.filter(recipient=user, read_at__isnull=True).count(),
        "oversees": may_hand_over(user),
    }
    if figures["oversees"]:
        others = visible.exclude(owner=user).aggregate(
            breached=Count("pk", filter=Q(sla_status=SlaStatus.BREACHED)),
            awaiting=Count("pk", filter=Q(state=TicketState.AWAITING_APPROVAL)),
        )
        figures["scope_breached"] = others["breached"]
        figures["awaiting_approval"] = others["awaiting"]
    return figures
