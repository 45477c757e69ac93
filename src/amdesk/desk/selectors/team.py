"""The supervisor's desk (and the head's, over his branch): team KPIs and ranking, SLA breaches,
visit compliance by week, document submissions, the anomaly queue. Every function takes the
viewer's account managers (planning.account_managers_for: the people his scope covers) and answers
in a fixed number of queries whatever the number of people and clients."""

from datetime import date

from django.db.models import Count, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from amdesk.appraisal.models import AppraisalPeriod
from amdesk.appraisal.selectors.periods import card_list
from amdesk.planning.selectors import account_managers_for, target_completion, team_board
from amdesk.service.models import OPEN_STATES, SlaStatus
from amdesk.service.selectors.tickets import tickets_for
from amdesk.visits.models import Visit
from amdesk.visits.selectors.records import findings_for

from ..charts import Chart
from ..models import OwnerWeek
from ..services import week_starts

LIST_SIZE = 10


def team_people(viewer) -> list:
    """The active account managers the viewer oversees (not himself)."""
    return [person for person in account_managers_for(viewer) if person.pk != viewer.pk]


def _mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return round(sum(values) / len(values), 1) if values else None


def team_kpis(viewer, people: list, *, today: date) -> Chart:
    """Per account manager, ranked by the latest appraisal score (then target completion): visits
    this month, visit compliance of the last full week (against the frequency norms), open and
    breached tickets, target completion this month (the mean over indicators with a target)."""
    ids = [person.pk for person in people]
    month = today.replace(day=1)
    visits = dict(
        Visit.objects.filter(owner__in=ids, visited_on__range=(month, today))
        .values("owner")
        .annotate(n=Count("id"))
        .values_list("owner", "n")
        .order_by()
    )
    last_week = week_starts(today, 1)[0]
    compliance = {row.owner_id: row.rate for row in OwnerWeek.objects.filter(owner__in=ids, week=last_week)}
    tickets = {
        row["owner"]: row
        for row in tickets_for(viewer)
        .filter(owner__in=ids, state__in=OPEN_STATES)
        .values("owner")
        .annotate(open=Count("id"), breached=Count("id", filter=Q(sla_status=SlaStatus.BREACHED)))
        .order_by()
    }
    completion = {
        owner: _mean(item.rate for item in items.values())
        for owner, items in target_completion(ids, month, viewer=viewer).items()
    }
    # The latest period with a closed card of theirs, as a subquery: one query, whatever the data.
    cards = card_list(viewer=viewer).filter(staff__in=ids)
    latest = cards.exclude(period__state=AppraisalPeriod.State.OPEN).values_list("period_id", flat=True)[:1]
    scores = {
        staff: float(score)
        for staff, score in cards.filter(period_id=Subquery(latest)).values_list("staff_id", "score")
    }
    ranked = sorted(
        people,
        key=lambda person: (
            -(scores.get(person.pk) if scores.get(person.pk) is not None else -1),
            -(completion.get(person.pk) or 0),
            person.employee_no,
        ),
    )
    rows, links = [], []
    for rank, person in enumerate(ranked, 1):
        ticket = tickets.get(person.pk, {})
        rows.append(
            [
                person.full_name,
                visits.get(person.pk, 0),
                compliance.get(person.pk),
                ticket.get("open", 0),
                ticket.get("breached", 0),
                completion.get(person.pk),
                scores.get(person.pk),
                rank,
            ]
        )
        links.append(reverse("desk:person", args=[person.pk]))
    return Chart(
        key="team_kpis",
        title=_("Team KPIs and ranking"),
        kind="hbar",
        columns=[
            _("Account manager"),
            _("Visits this month"),
            _("Visit compliance last week %"),
            _("Open tickets"),
            _("Tickets past a deadline"),
            _("Target completion %"),
            _("Score"),
            _("Rank"),
        ],
        rows=rows,
        series=(2, 5, 6),
        client_data=True,
        links=links,
    )


def sla_counts(viewer) -> dict:
    """Open tickets in the viewer's scope per SLA status: one grouped count for the chart and the
    breached figure of the card."""
    return dict(
        tickets_for(viewer)
        .filter(state__in=OPEN_STATES)
        .values("sla_status")
        .annotate(n=Count("id"))
        .values_list("sla_status", "n")
        .order_by()
    )


def sla_status(counts: dict) -> Chart:
    """Open tickets in the viewer's scope by SLA status (breached first), from sla_counts."""
    order = [SlaStatus.BREACHED, SlaStatus.DUE_SOON, SlaStatus.ON_TIME, SlaStatus.PAUSED]
    return Chart(
        key="sla_status",
        title=_("Open tickets by SLA status"),
        kind="bar",
        columns=[_("SLA status"), _("Open tickets")],
        rows=[[str(status.label), counts.get(status, 0)] for status in order],
        client_data=True,
    )


def sla_breaches(viewer, counts: dict) -> dict:
    """Open tickets in the viewer's scope past a deadline: how many (sla_counts), the longest overdue
    first."""
    breached = tickets_for(viewer).filter(state__in=OPEN_STATES, sla_status=SlaStatus.BREACHED)
    return {
        "count": counts.get(SlaStatus.BREACHED, 0),
        "tickets": list(breached.order_by("sla_due", "id")[:LIST_SIZE]),
    }


def visit_heatmap(people: list, *, today: date) -> Chart:
    """Visit compliance (%) per account manager and week, the last full weeks (pre-aggregated)."""
    weeks = week_starts(today)
    cells = {
        (row.owner_id, row.week): row.rate
        for row in OwnerWeek.objects.filter(owner__in=[person.pk for person in people], week__in=weeks)
    }
    return Chart(
        key="visit_heatmap",
        title=_("Visit compliance by week (%)"),
        kind="heatmap",
        columns=[_("Account manager"), *[f"{week:%m-%d}" for week in weeks]],
        rows=[[person.full_name, *[cells.get((person.pk, week)) for week in weeks]] for person in people],
        note=_("Clients visited as often as their tier's norm asks, among those due in the week."),
    )


def submissions(viewer, *, today: date) -> Chart:
    """This week's work logs and documents per account manager: handed in, overdue, not yet due."""
    board = team_board(viewer=viewer, day=today)
    rows = []
    for row in board.rows:
        cells = [cell for cells in row.cells.values() for cell in cells]
        handed_in = sum(not cell.pending for cell in cells)
        overdue = sum(cell.overdue for cell in cells)
        rows.append([row.person.full_name, row.logs_handed_in, row.logs_missing, handed_in, overdue])
    return Chart(
        key="submissions",
        title=_("Logs and plans handed in this week"),
        kind="stack",
        columns=[
            _("Account manager"),
            _("Logs handed in"),
            _("Logs missing"),
            _("Documents handed in"),
            _("Documents overdue"),
        ],
        rows=rows,
    )


def anomaly_queue(viewer) -> dict:
    """Findings of the viewer's account managers' visits (market anomalies 市场异常信息 and the
    industry's anomaly kinds) still open, the oldest first."""
    findings = findings_for(viewer, open_only=True).exclude(owner=viewer)
    return {"count": findings.count(), "findings": list(findings.order_by("raised_at", "id")[:LIST_SIZE])}


__all__ = [
    "team_people",
    "team_kpis",
    "sla_counts",
    "sla_status",
    "sla_breaches",
    "visit_heatmap",
    "submissions",
    "anomaly_queue",
]
