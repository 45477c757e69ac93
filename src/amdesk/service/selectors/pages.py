"""Reads only the pages need: the breaches listed under the service KPIs, the approvals waiting."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from amdesk.orgs.access import records_q, scope_of, scoped
from amdesk.orgs.models import Role

from ..models import Ticket, TicketState
from ..workflow import OVERSEER_ROLES
from .kpis import first_feedback_breach_q, resolution_breach_q
from .tickets import tickets_for


def breaches_for(viewer, *, start: date, end: date, now: datetime) -> QuerySet:
    """Tickets received in the period (in the viewer's scope) whose first feedback or resolution was
    late or is overdue now — the KPIs' own breach rule (selectors.kpis), most recent first."""
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return (
        tickets_for(viewer, now=now)
        .filter(received_at__gte=begin, received_at__lt=finish)
        .filter(first_feedback_breach_q(now) | resolution_breach_q(now))
        .order_by("-received_at", "-id")
    )


def approvals_waiting(viewer) -> int | None:
    """How many tickets in the viewer's scope wait for his decision (awaiting approval, not his own:
    approval needs a second person); None when he does not approve (account managers, the service
    desk). One query for those who approve, one to find out who does."""
    if scope_of(viewer).kind == Role.Scope.OWN:
        return None
    if not (viewer.is_superuser or viewer.roles.filter(code__in=OVERSEER_ROLES).exists()):
        return None
    tickets = scoped(Ticket.objects.all(), records_q(viewer, owner_field="owner", node_field="org_node"))
    return tickets.filter(state=TicketState.AWAITING_APPROVAL).exclude(owner=viewer).count()
