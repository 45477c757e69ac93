"""What waits for whom: the appraisal admin's overview (and hr1's desk card), the supervisor's
sign-offs due, the AM's latest score. Each a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from amdesk.orgs.models import OrgNode

from ..models import (
    AppraisalPeriod,
    LadderProposal,
    ManualValue,
    Scheme,
    SchemeIndicator,
    ScoreCard,
    TeamSignOff,
)
from ..services.access import is_appraisal_admin, may_sign_off
from ..services.dates import period_bounds
from ..services.runs import population
from .periods import TeamState, card_list

MANUAL_PERIODS = 5  # the not yet approved periods checked for manual values (newest first)


@dataclass
class AdminOverview:
    to_open: list = field(default_factory=list)  # (scheme, start) of schemes without this period
    to_run: list = field(default_factory=list)
    to_approve: list = field(default_factory=list)  # (period, teams missing a sign-off)
    sign_offs_missing: int = 0
    ladder_waiting: int = 0
    manual_missing: list = field(default_factory=list)  # (period, values missing)

    @property
    def total(self) -> int:
        return (
            len(self.to_open)
            + len(self.to_run)
            + len(self.to_approve)
            + self.ladder_waiting
            + sum(n for _period, n in self.manual_missing)
        )


def admin_overview(*, viewer, today: date) -> AdminOverview | None:
    if not is_appraisal_admin(viewer):
        return None
    overview = AdminOverview()
    schemes = list(Scheme.objects.filter(is_active=True, versions__state="active").distinct())
    # The period to open is the last one that has ended (a month is appraised once it is over, its
    # team sheets due in the month after), not the one still running.
    current = {
        scheme.pk: period_bounds(
            scheme.period_kind, period_bounds(scheme.period_kind, today)[0] - timedelta(days=1)
        )[0]
        for scheme in schemes
    }
    existing = set(
        AppraisalPeriod.objects.filter(
            version__scheme__in=schemes, start__in=set(current.values())
        ).values_list("version__scheme_id", "start")
    )
    overview.to_open = [
        (scheme, current[scheme.pk]) for scheme in schemes if (scheme.pk, current[scheme.pk]) not in existing
    ]
    pending = list(
        AppraisalPeriod.objects.exclude(state=AppraisalPeriod.State.APPROVED)
        .select_related("version__scheme")
        .annotate(
            teams=Count("cards__org_node", distinct=True),
            signed=Count("sign_offs", distinct=True),
        )
        .order_by("-start")
    )
    overview.to_run = [period for period in pending if period.state == AppraisalPeriod.State.OPEN]
    overview.to_approve = [
        (period, max(period.teams - period.signed, 0))
        for period in pending
        if period.state == AppraisalPeriod.State.COMPUTED
    ]
    overview.sign_offs_missing = sum(missing for _period, missing in overview.to_approve)
    overview.ladder_waiting = LadderProposal.objects.filter(state=LadderProposal.State.PENDING).count()
    for period in pending[:MANUAL_PERIODS]:
        missing = _manual_missing(period)
        if missing:
            overview.manual_missing.append((period, missing))
    return overview


def _manual_missing(period: AppraisalPeriod) -> int:
    """Manual values the period's population still lacks (people × manual indicators − entered)."""
    manual = list(
        SchemeIndicator.objects.filter(criterion__version_id=period.version_id, indicator__source="manual")
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    if not manual:
        return 0
    people = [person.pk for person in population(period.version.scheme)]
    entered = ManualValue.objects.filter(
        indicator__in=manual, staff__in=people, period_start=period.start, period_end=period.end
    ).count()
    return len(people) * len(manual) - entered


@dataclass
class TeamDue:
    period: AppraisalPeriod
    missing: list  # TeamState of teams the viewer may sign and has not
    overdue: bool


def team_sign_offs_due(*, viewer, today: date) -> list[TeamDue]:
    """Computed periods (the newest few) with teams in the viewer's scope he may sign off and has
    not. Four queries whatever the number of periods and teams (the desk card and the team page)."""
    periods = list(
        AppraisalPeriod.objects.filter(state=AppraisalPeriod.State.COMPUTED)
        .select_related("version__scheme")
        .order_by("-start")[:MANUAL_PERIODS]
    )
    if not periods:
        return []
    counts: dict[int, dict[int, int]] = {}
    for period_id, node_id, n in (
        card_list(viewer=viewer)
        .filter(period__in=periods)
        .order_by()
        .values_list("period_id", "org_node_id")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(period_id, {})[node_id] = n
    node_ids = {node_id for teams in counts.values() for node_id in teams}
    nodes = list(OrgNode.objects.filter(pk__in=node_ids).select_related("leader").order_by("path"))
    signed = set(
        TeamSignOff.objects.filter(period__in=periods, org_node_id__in=node_ids).values_list(
            "period_id", "org_node_id"
        )
    )
    due = []
    for period in periods:
        teams = counts.get(period.pk, {})
        missing = [
            TeamState(node, teams[node.pk], None, True)
            for node in nodes
            if node.pk in teams and (period.pk, node.pk) not in signed and may_sign_off(viewer, node)
        ]
        if missing:
            due.append(TeamDue(period, missing, bool(period.sign_off_due and period.sign_off_due < today)))
    return due


def my_latest(*, viewer) -> ScoreCard | None:
    return (
        card_list(viewer=viewer)
        .filter(staff=viewer)
        .exclude(period__state=AppraisalPeriod.State.OPEN)
        .first()
    )


def missing_sign_offs_by_node(node_ids) -> dict[int, list[AppraisalPeriod]]:
    """For the planning board: per team node, the computed periods whose sheet it has not handed in.
    Three queries whatever the number of nodes."""
    node_ids = list(node_ids)
    if not node_ids:
        return {}
    computed = Q(period__state=AppraisalPeriod.State.COMPUTED, org_node_id__in=node_ids)
    pairs = set(ScoreCard.objects.filter(computed).values_list("org_node_id", "period_id").distinct())
    pairs -= set(TeamSignOff.objects.filter(computed).values_list("org_node_id", "period_id"))
    periods = AppraisalPeriod.objects.filter(pk__in={period for _node, period in pairs}).select_related(
        "version__scheme"
    )
    by_pk = {period.pk: period for period in periods}
    missing: dict[int, list[AppraisalPeriod]] = {}
    for node, period in sorted(pairs):
        missing.setdefault(node, []).append(by_pk[period])
    return missing
