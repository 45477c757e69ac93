"""What the desk shows of visits: the AM's day, and what waits for his supervisor."""

from datetime import date

from django.db.models import Count, Q

from amdesk.clients.models import Client
from amdesk.orgs.access import client_q, may_hand_over, records_q, scoped

from ..models import VisitFinding, VisitSchedule, VisitSettings
from .records import inspections_overdue, today_route
from .status import status_q, with_visit_status


def desk_visits(user, *, today: date) -> dict:
    """A few counts in a fixed number of queries; overdue clients only for the user's own portfolio
    (a branch's overdue figures are on the team page, not computed on every desk visit)."""
    route = today_route(user, today=today).aggregate(
        planned=Count("pk"), done=Count("pk", filter=Q(visit__isnull=False))
    )
    own = Client.objects.filter(owner=user).exclude(lifecycle=Client.Lifecycle.LOST)
    figures = {
        "route_planned": route["planned"],
        "route_done": route["done"],
        "overdue": with_visit_status(own).filter(status_q("overdue", today=today)).count(),
        "inspections_overdue": inspections_overdue(user, today=today).count(),
        "oversees": may_hand_over(user),
    }
    if figures["oversees"]:
        others = ~Q(owner=user)
        figures["findings_open"] = (
            scoped(VisitFinding.objects.filter(others), records_q(user))
            .filter(closed_at__isnull=True)
            .count()
        )
        figures["schedules_waiting"] = (
            scoped(VisitSchedule.objects.filter(others), records_q(user))
            .filter(state=VisitSchedule.State.SUBMITTED)
            .count()
        )
    return figures


def team_overdue_count(viewer, *, today: date, settings: VisitSettings | None = None) -> int:
    """Clients of the others in the viewer's scope (his team, branch…) overdue for a visit: what an
    overseer's visit page says about his team, as the team page counts them (lost clients left out)."""
    others = scoped(Client.objects.exclude(lifecycle=Client.Lifecycle.LOST), client_q(viewer)).exclude(
        owner=viewer
    )
    return (
        with_visit_status(others, settings=settings)
        .filter(status_q("overdue", today=today, settings=settings))
        .count()
    )
