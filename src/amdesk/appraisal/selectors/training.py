"""Training, read: sessions in scope, credits per person, and seed 003's cadence per team (at least
`training_sessions_per_month` sessions of `training_min_hours` hours a month; a session for the team's
node or any node above it counts)."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum

from amdesk.orgs.access import may_hand_over, org_nodes_q, scope_of, staff_q
from amdesk.orgs.models import PATH_STEP_WIDTH, OrgNode, Staff, subtree_range_q

from ..models import AppraisalSettings, TrainingAttendance, TrainingSession
from ..services.access import led_staff_q
from ..services.stale import fingerprint
from .disc import is_hr

AM_ROLE = "account_manager"  # a team is a node with account managers (the presets' role code)


def ancestor_paths(path: str) -> list[str]:
    """The node's own path and those of every node above it (materialized path prefixes)."""
    step = PATH_STEP_WIDTH + 1
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _roots(viewer) -> list[str]:
    scope = scope_of(viewer)
    if scope.node_paths:
        return list(scope.node_paths)
    node_id = getattr(viewer, "org_node_id", None)
    return list(OrgNode.objects.filter(pk=node_id).values_list("path", flat=True)) if node_id else []


def sessions_q(viewer) -> Q:
    """Sessions the viewer sees: all for an admin; else those for the nodes in his scope and for
    the nodes above them (a branch's session is his team's too)."""
    if scope_of(viewer).sees_all:
        return Q()
    roots = _roots(viewer)
    if not roots:
        return Q(pk__in=[])
    above = {path for root in roots for path in ancestor_paths(root)}
    return reduce(or_, (subtree_range_q(root, "org_node__") for root in roots)) | Q(org_node__path__in=above)


def may_train(actor, node: OrgNode) -> bool:
    if is_hr(actor):
        return True
    if not may_hand_over(actor):
        return False
    return OrgNode.objects.filter(org_nodes_q(actor), pk=node.pk).exists()


def trainable_nodes(actor):
    if is_hr(actor):
        return OrgNode.objects.filter(is_active=True)
    if not may_hand_over(actor):
        return OrgNode.objects.none()
    return OrgNode.objects.filter(org_nodes_q(actor), is_active=True)


def eligible_attendees(*, actor, session: TrainingSession):
    """The active people under the session's node whom the actor may record."""
    people = Staff.objects.filter(
        subtree_range_q(session.org_node.path, "org_node__"), status=Staff.Status.ACTIVE
    )
    if not is_hr(actor):
        people = people.filter(staff_q(actor, for_write=True))
    return people.order_by("org_node__path", "employee_no")


def session_fingerprint(session: TrainingSession) -> str:
    return fingerprint(
        [
            session.topic,
            session.held_on,
            session.hours,
            session.trainer,
            session.org_node_id,
            session.credits,
            session.note,
        ]
    )


def attendance_fingerprint(session: TrainingSession) -> str:
    rows = TrainingAttendance.objects.filter(session=session, attended=True).order_by("staff_id")
    return fingerprint(list(rows.values_list("staff_id", flat=True)))


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def training_sessions(*, viewer, start: date, end: date):
    """Sessions held between start and end in the viewer's scope, with their attendance counts."""
    return (
        TrainingSession.objects.filter(sessions_q(viewer), held_on__gte=start, held_on__lte=end)
        .select_related("org_node")
        .annotate(attended_count=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("-held_on", "topic")
    )


def training_credits(*, viewer, start: date, end: date) -> list[dict]:
    """Credits per person (those the viewer sees) earned by sessions held between start and end."""
    return list(
        TrainingAttendance.objects.filter(
            staff__in=Staff.objects.filter(led_staff_q(viewer)),
            attended=True,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
        .values("staff_id", "staff__full_name", "staff__employee_no")
        .annotate(credits=Sum("credits"), sessions=Count("id"))
        .order_by("-credits", "staff__employee_no")
    )


def credits_by_staff(staff_ids, start: date, end: date) -> dict[int, float]:
    """{staff id: credits} for the appraisal's population (one query; an indicator source may use it)."""
    rows = (
        TrainingAttendance.objects.filter(
            staff_id__in=staff_ids, attended=True, session__held_on__range=(start, end)
        )
        .values("staff_id")
        .annotate(total=Sum("credits"))
    )
    return {row["staff_id"]: float(row["total"]) for row in rows}


def team_nodes(viewer):
    """The teams in the viewer's scope: active nodes with active account managers."""
    teams = OrgNode.objects.filter(
        org_nodes_q(viewer),
        is_active=True,
        staff__status=Staff.Status.ACTIVE,
        staff__roles__code=AM_ROLE,
    )
    return teams.distinct().order_by("path")


@dataclass(frozen=True)
class CadenceRow:
    team: OrgNode
    sessions: int
    required: int

    @property
    def short(self) -> bool:
        return self.sessions < self.required


def training_cadence(*, viewer, month: date) -> list[CadenceRow]:
    """Per team in scope, the month's sessions that count (long enough, for the team or above it)."""
    settings = AppraisalSettings.current()
    start, end = month_bounds(month)
    teams = list(team_nodes(viewer))
    counted = list(
        TrainingSession.objects.filter(
            held_on__gte=start, held_on__lte=end, hours__gte=settings.training_min_hours
        ).values_list("org_node__path", flat=True)
    )
    rows = []
    for team in teams:
        above = set(ancestor_paths(team.path))
        rows.append(
            CadenceRow(
                team=team,
                sessions=sum(path in above for path in counted),
                required=settings.training_sessions_per_month,
            )
        )
    return rows
