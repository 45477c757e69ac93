"""Service KPIs per account manager, team or branch and period, set-based (a fixed number of queries).

Over the tickets received in the period (local dates, both ends included) that the viewer may see:
- timely first-feedback rate = first feedback given by its deadline / tickets whose first feedback
  is given or due by now;
- handling rate = resolved (resolved, confirmed, closed) / received;
- satisfaction rate = rated ≥ ServiceSettings.satisfied_from / rated;
- valid complaints (complaints and quality feedback judged justified: the other types have no such
  judgment), repeat complaints, breaches (first feedback and resolution, met late or overdue; a
  ticket paused at or after its deadline stays breached).
Targets (ServiceSettings) come alongside. Appraisal reads `service_kpis(...)` too.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from amdesk.orgs.access import records_q, scoped
from amdesk.orgs.models import PATH_STEP_WIDTH, OrgNode
from amdesk.orgs.selectors import branch_level

from ..models import DONE_STATES, ServiceSettings, Ticket, TicketState, TicketType

GROUPS = ("owner", "team", "branch")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class ServiceKpis:
    key: object  # staff id, org node id, or branch node id (None when the tree has no such level)
    label: str = ""
    received: int = 0
    first_feedback_due: int = 0
    first_feedback_timely: int = 0
    handled: int = 0
    rated: int = 0
    satisfied: int = 0
    valid_complaints: int = 0
    repeat_complaints: int = 0
    first_feedback_breaches: int = 0
    resolution_breaches: int = 0

    @property
    def first_feedback_rate(self) -> float | None:
        return _rate(self.first_feedback_timely, self.first_feedback_due)

    @property
    def handling_rate(self) -> float | None:
        return _rate(self.handled, self.received)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)

    @property
    def breaches(self) -> int:
        return self.first_feedback_breaches + self.resolution_breaches


@dataclass
class Targets:
    first_feedback: int
    handling: int
    satisfaction: int
    satisfied_from: int


@dataclass
class ServiceKpiReport:
    group_by: str
    start: date
    end: date
    targets: Targets
    rows: list[ServiceKpis] = field(default_factory=list)
    total: ServiceKpis = field(default_factory=lambda: ServiceKpis(key=None))
    # The name of the level grouped as "branch" (分行, 地市公司… from the org levels), when grouped so.
    branch_label: str = ""

    def meets(self, row: ServiceKpis) -> dict[str, bool | None]:
        """Whether a row reaches each target (None: nothing to measure)."""

        def check(value, target):
            return None if value is None else value >= target

        return {
            "first_feedback": check(row.first_feedback_rate, self.targets.first_feedback),
            "handling": check(row.handling_rate, self.targets.handling),
            "satisfaction": check(row.satisfaction_rate, self.targets.satisfaction),
        }


def _overdue(due_field: str) -> Q:
    """Still running past the deadline, or paused only after it had passed (the breach stands)."""
    paused = Q(state=TicketState.WAITING_CLIENT)
    return ~paused | Q(paused_at__gte=F(due_field))


def first_feedback_breach_q(now: datetime) -> Q:
    """First feedback given late, or still pending past its deadline (paused in time excepted).
    The one rule of a first-feedback breach: KPIs and the list of breaches use it."""
    return Q(first_feedback_at__gt=F("first_feedback_due")) | (
        Q(first_feedback_at__isnull=True, first_feedback_due__lte=now) & _overdue("first_feedback_due")
    )


def resolution_breach_q(now: datetime) -> Q:
    """Resolved late, or still unresolved past the deadline (paused in time excepted)."""
    return Q(resolved_at__gt=F("resolution_due")) | (
        Q(resolved_at__isnull=True, resolution_due__lte=now)
        & _overdue("resolution_due")
        & ~Q(state__in=DONE_STATES)
    )


def _aggregates(now: datetime, satisfied_from: int) -> dict:
    ff_given = Q(first_feedback_at__isnull=False)
    complaint = Q(ticket_type__in=[TicketType.COMPLAINT, TicketType.QUALITY])
    return {
        "received": Count("id"),
        "first_feedback_due": Count("id", filter=ff_given | Q(first_feedback_due__lte=now)),
        "first_feedback_timely": Count("id", filter=Q(first_feedback_at__lte=F("first_feedback_due"))),
        "handled": Count("id", filter=Q(state__in=DONE_STATES)),
        "rated": Count("id", filter=Q(satisfaction__isnull=False)),
        "satisfied": Count("id", filter=Q(satisfaction__gte=satisfied_from)),
        "valid_complaints": Count("id", filter=Q(is_valid=True) & complaint),
        "repeat_complaints": Count("id", filter=Q(repeat_of__isnull=False)),
        "first_feedback_breaches": Count("id", filter=first_feedback_breach_q(now)),
        "resolution_breaches": Count("id", filter=resolution_breach_q(now)),
    }


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return begin, finish


def service_kpis(
    *, viewer, start: date, end: date, group_by: str = "owner", now: datetime | None = None, node=None
) -> ServiceKpiReport:
    """The KPIs of the viewer's scope per group (4 queries at most, whatever the size); `node`
    narrows them to the tickets of one org subtree (the reports' roll-up)."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    now = now or timezone.now()
    settings = ServiceSettings.current()
    begin, finish = _period(start, end)
    tickets = scoped(
        Ticket.objects.all(), records_q(viewer, owner_field="owner", node_field="org_node")
    ).filter(received_at__gte=begin, received_at__lt=finish)
    if node is not None:
        tickets = tickets.filter(node.subtree_q("org_node__"))
    aggregates = _aggregates(now, settings.satisfied_from)
    report = ServiceKpiReport(
        group_by=group_by,
        start=start,
        end=end,
        targets=Targets(
            first_feedback=settings.first_feedback_target,
            handling=settings.handling_rate_target,
            satisfaction=settings.satisfaction_target,
            satisfied_from=settings.satisfied_from,
        ),
    )
    metric_names = list(aggregates)
    # Annotation names must not shadow the model's fields (first_feedback_due is both).
    aggregates = {f"n_{name}": value for name, value in aggregates.items()}
    if group_by == "owner":
        grouped = tickets.values("owner", "owner__full_name")
        key_of, label_of = (lambda r: r["owner"]), (lambda r: r["owner__full_name"])
    elif group_by == "team":
        grouped = tickets.values("org_node", "org_node__name")
        key_of, label_of = (lambda r: r["org_node"]), (lambda r: r["org_node__name"])
    else:
        # The branch level is the admin's (OrgLevel.reports_as_branch), shared with other reports.
        depth, report.branch_label = branch_level()
        width = (PATH_STEP_WIDTH + 1) * (depth + 1)
        grouped = tickets.annotate(branch_path=Substr("org_node__path", 1, width)).values("branch_path")
        key_of, label_of = (lambda r: r["branch_path"]), (lambda r: "")
    rows = list(grouped.annotate(**aggregates).order_by())
    for row in rows:
        kpis = ServiceKpis(key=key_of(row), label=label_of(row) or "")
        for name in metric_names:
            setattr(kpis, name, row[f"n_{name}"])
        report.rows.append(kpis)
    if group_by == "branch" and report.rows:
        nodes = {n.path: n for n in OrgNode.objects.filter(path__in=[r.key for r in report.rows])}
        for kpis in report.rows:
            node = nodes.get(kpis.key)
            kpis.key, kpis.label = (node.pk, node.name) if node else (None, "")
    report.rows.sort(key=lambda r: (r.label, str(r.key)))
    for kpis in report.rows:
        for name in metric_names:
            setattr(report.total, name, getattr(report.total, name) + getattr(kpis, name))
    return report
