"""Reads of the weekly and monthly documents: scoped lists and the one-object gate, the computed
parts of each form (the week's indicator progress, the monthly plan's indicator table, the month's
completion, the archive counts that prefill the visit plan, the week's visit schedule), and the
supervisor's team board across every document type.

Every figure is computed set-based: a fixed number of queries whatever the number of indicators or
account managers (the board: one query per document type)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.core import calendar
from amdesk.orgs.access import may_hand_over, records_q, scoped
from amdesk.visits.models import VisitSchedule, VisitSettings
from amdesk.visits.services.schedule_due import schedule_due_at

from ..models import (
    MonthlySalesReport,
    MonthlySummary,
    PerformanceEntry,
    PerformanceItem,
    PlanningSettings,
    TargetLine,
    TargetSheet,
    WeeklySummary,
    WorkLog,
)
from ..services.common import month_start
from ..services.documents import due_at, due_provisional
from ..services.performance import month_end
from ..services.plans import (
    ARRANGEMENT,
    KINDS,
    MONTHLY_PLAN,
    MONTHLY_SUMMARY,
    WEEKLY_SUMMARY,
    week_month,
    week_start,
)
from ..services.targets import targets_due_at, week_of
from ..sources import computed_daily
from ..workflow import HANDED_IN_STATES, DocState
from .logs import account_managers_for, working_days
from .targets import (
    ZERO,
    Completion,
    achieved_by_week,
    computed_items,
    expected_share,
    previous_month,
    target_completion,
    target_status,
)

WEEK, MONTH = "week", "month"
TARGETS = "targets"  # the board's column of monthly targets
# The board's column of weekly visit schedules 客户访问日程表 (visits capability): due before the week.
SCHEDULE = "visit-schedule"
# Not handed in: a planning document's draft, a visit schedule still as proposed.
PENDING_STATES = (DocState.DRAFT, VisitSchedule.State.PROPOSED)


def plan_documents_for(viewer, kind: str) -> QuerySet:
    spec = KINDS[kind]
    return scoped(spec.model.objects.all(), records_q(viewer)).select_related("owner", "reviewer", "org_node")


def access_plan_document(viewer, kind: str, pk):
    """One document the viewer may see; "not found" for both missing and forbidden."""
    document = plan_documents_for(viewer, kind).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


def plan_document_of(kind: str, owner, period: date):
    """The owner's document of the period containing `period` (the caller checked he may see it)."""
    spec = KINDS[kind]
    return (
        spec.model.objects.filter(owner=owner, **{spec.period_field: spec.period(period)})
        .select_related("reviewer")
        .first()
    )


# -- the forms' computed parts -------------------------------------------------------------------


@dataclass
class ProgressRow:
    item: PerformanceItem
    target: Decimal
    achieved: Decimal  # registered from the month's first day to the week's end
    status: str  # targets.DONE, ON_TRACK, BEHIND

    @property
    def rate(self) -> float | None:
        return round(float(100 * self.achieved / self.target), 1) if self.target else None


def frozen_figures(document) -> dict | None:
    """The figures a summary was submitted with, while it is submitted or reviewed; else None
    (no document, a draft, or returned: the figures are live)."""
    if document is None or document.state not in (DocState.SUBMITTED, DocState.REVIEWED):
        return None
    return getattr(document, "figures", None)


def _items_by_id(ids) -> dict[int, PerformanceItem]:
    return {item.pk: item for item in PerformanceItem.objects.filter(pk__in=list(ids))}


def week_progress(*, owner, monday: date, today: date, document=None) -> tuple[date, list[ProgressRow]]:
    """Indicator progress of the weekly summary: per indicator with a target in the week's month
    (services.plans.week_month), achieved up to the week's end (or today, if earlier) against the
    month's target, on track or behind as on the target table. A few queries; with a submitted or
    reviewed `document`, the figures frozen at its submission (one query)."""
    frozen = frozen_figures(document)
    if frozen is not None:
        items = _items_by_id(row["item"] for row in frozen["rows"])
        return date.fromisoformat(frozen["month"]), [
            ProgressRow(items[row["item"]], Decimal(row["target"]), Decimal(row["achieved"]), row["status"])
            for row in frozen["rows"]
            if row["item"] in items
        ]
    month = week_month(monday)
    end = min(monday + timedelta(days=6), month_end(month))
    lines = list(
        TargetLine.objects.filter(sheet__owner=owner, sheet__month=month)
        .select_related("item")
        .order_by("item__order", "item__code")
    )
    if not lines:
        return month, []
    weeks = achieved_by_week([owner.pk], month)
    last_week = week_of(month, end) if end >= month else 0
    moment = min(end + timedelta(days=1), today)
    share = expected_share(month, moment)
    percent = PlanningSettings.current().target_on_track_percent
    rows = []
    for line in lines:
        got = sum(weeks.get((owner.pk, line.item_id), [ZERO] * 6)[:last_week], ZERO)
        rows.append(ProgressRow(line.item, line.target, got, target_status(line.target, got, share, percent)))
    return month, rows


def _change(value: Decimal | None, base: Decimal | None) -> float | None:
    """Change of `value` against `base` in percent; None (shown "—") without a value or a base."""
    if value is None or not base:
        return None
    return round(float(100 * (value - base) / base), 1)


@dataclass
class PlanRow:
    item: PerformanceItem
    last_month: Decimal  # last month's actual
    cumulative: Decimal  # this year up to today (up to the month's end for a past month)
    last_year: Decimal  # the same month last year
    target: Decimal | None  # this month's (targets)

    @property
    def mom(self) -> float | None:
        """This month's target against last month's actual (环比), in percent."""
        return _change(self.target, self.last_month)

    @property
    def yoy(self) -> float | None:
        """This month's target against the same month last year (同比), in percent."""
        return _change(self.target, self.last_year)


def month_indicators(*, owner, month: date, today: date) -> list[PlanRow]:
    """The monthly plan's indicator table: one aggregate query over the registrations (each column a
    filtered SUM per indicator), one per source of the computed indicators, one for the targets, one
    for the indicators."""
    month = month_start(month)
    last = previous_month(month)
    last_year = month.replace(year=month.year - 1)
    year_start = month.replace(month=1)
    ytd_end = min(today, month_end(month))
    buckets = {
        "last_month": Q(day__range=(last, month_end(last))),
        "cumulative": Q(day__range=(year_start, ytd_end)),
        "last_year": Q(day__range=(last_year, month_end(last_year))),
    }
    rows = (
        PerformanceEntry.objects.filter(sheet__owner=owner)
        .filter(buckets["last_month"] | buckets["cumulative"] | buckets["last_year"])
        .values("item_id")
        .annotate(**{name: Sum("value", filter=condition) for name, condition in buckets.items()})
        .order_by()
    )
    figures = {row["item_id"]: row for row in rows}
    computed = computed_items()
    if computed:  # one query per source over the whole span, bucketed here
        spans = {
            "last_month": (last, month_end(last)),
            "cumulative": (year_start, ytd_end),
            "last_year": (last_year, month_end(last_year)),
        }
        daily = computed_daily(computed, [owner.pk], last_year, max(ytd_end, month_end(last)))
        for (_owner, item_id, day), value in daily.items():
            row = figures.setdefault(item_id, {})
            for name, (start, end) in spans.items():
                if start <= day <= end:
                    row[name] = (row.get(name) or ZERO) + value
    targets = dict(
        TargetLine.objects.filter(sheet__owner=owner, sheet__month=month).values_list("item_id", "target")
    )
    items = PerformanceItem.objects.filter(
        Q(is_active=True) | Q(pk__in=set(figures) | set(targets))
    ).order_by("order", "code")
    result = []
    for item in items:
        row = figures.get(item.pk, {})
        result.append(
            PlanRow(
                item,
                row.get("last_month") or ZERO,
                row.get("cumulative") or ZERO,
                row.get("last_year") or ZERO,
                targets.get(item.pk),
            )
        )
    return result


@dataclass
class CompletionRow:
    item: PerformanceItem
    target: Decimal
    achieved: Decimal
    rate: float | None


def month_completion(*, owner, month: date, document=None) -> list[CompletionRow]:
    """The monthly summary's completion per indicator with a target (target_completion, as appraisal);
    with a submitted or reviewed `document`, the figures frozen at its submission."""
    frozen = frozen_figures(document)
    if frozen is not None:
        items = _items_by_id(row["item"] for row in frozen["rows"])
        rows = []
        for row in frozen["rows"]:
            if row["item"] in items:
                done = Completion(Decimal(row["target"]), Decimal(row["achieved"]))
                rows.append(CompletionRow(items[row["item"]], done.target, done.achieved, done.rate))
        return rows
    completion = target_completion([owner.pk], month_start(month)).get(owner.pk, {})
    items = PerformanceItem.objects.filter(pk__in=list(completion)).order_by("order", "code")
    return [
        CompletionRow(
            item, completion[item.pk].target, completion[item.pk].achieved, completion[item.pk].rate
        )
        for item in items
    ]


def summary_figures(document, *, today: date) -> dict | None:
    """The computed figures of a weekly or monthly summary as they stand (JSON), frozen on the
    document when it is submitted (documents.document_transition); None for other documents."""
    if isinstance(document, MonthlySalesReport):
        from .sales_report import sales_report_figures

        return sales_report_figures(owner=document.owner, month=document.month, today=today)
    if isinstance(document, WeeklySummary):
        month, rows = week_progress(owner=document.owner, monday=document.week_start, today=today)
        return {
            "month": month.isoformat(),
            "rows": [
                {"item": r.item.pk, "target": str(r.target), "achieved": str(r.achieved), "status": r.status}
                for r in rows
            ],
        }
    if isinstance(document, MonthlySummary):
        rows = month_completion(owner=document.owner, month=document.month)
        return {
            "month": document.month.isoformat(),
            "rows": [{"item": r.item.pk, "target": str(r.target), "achieved": str(r.achieved)} for r in rows],
        }
    return None


def archive_counts(owner) -> tuple[int, int]:
    """The owner's clients in the archive (not lost or offboarded) and of them key clients: the
    monthly plan's visit plan starts from these. One query."""
    counts = (
        Client.objects.filter(owner=owner, offboarded_on__isnull=True)
        .exclude(lifecycle=Client.Lifecycle.LOST)
        .aggregate(clients=Count("pk"), key=Count("pk", filter=Q(tier__is_key=True)))
    )
    return counts["clients"], counts["key"]


def week_visit_schedule(*, viewer, owner, monday: date):
    """The owner's visit schedule of the week (visits capability), if the viewer may see it, with its
    entries in route order; (None, []) without one."""
    from amdesk.visits.selectors import schedule_entries, schedules_for

    schedule = schedules_for(viewer).filter(owner=owner, week_start=monday).first()
    if schedule is None:
        return None, []
    return schedule, list(schedule_entries(schedule))


# -- the team board ------------------------------------------------------------------------------


@dataclass
class Cell:
    """One document of one account manager on the board: the document (None when not written), its
    due moment (from the calendar until it is handed in), its state ("missing" once due and not
    handed in, "not_due" before), overdue when due and not handed in."""

    kind: str
    period: date
    due_at: datetime
    document: object = None
    overdue: bool = False
    url: str = ""

    @property
    def pending(self) -> bool:
        """Not handed in: none written, a draft, or a visit schedule not submitted."""
        return self.document is None or self.document.state in PENDING_STATES

    @property
    def state(self) -> str:
        if self.pending:
            return "missing" if self.overdue else "not_due"
        return self.document.state

    @property
    def label(self) -> str:
        return "" if self.pending else self.document.get_state_display()

    @property
    def provisional(self) -> bool:
        return due_provisional(self.due_at)


@dataclass
class BoardRow:
    person: object
    logs_handed_in: int = 0
    logs_missing: int = 0
    cells: dict[str, list[Cell]] = field(default_factory=dict)

    @property
    def overdue(self) -> int:
        return sum(cell.overdue for cells in self.cells.values() for cell in cells) + self.logs_missing


@dataclass
class Board:
    period: str
    start: date
    end: date
    weeks: list[date]
    month: date
    rows: list[BoardRow]
    summary_month: date | None = None  # the monthly summary due in the period: the previous month's
    # Teams on the board whose appraisal sheet of a computed period is not handed in: (node, periods).
    appraisal_sheets_missing: list = field(default_factory=list)


def _period(period: str, day: date) -> tuple[date, date, list[date], date]:
    if period == MONTH:
        month = month_start(day)
        end = month_end(month)
        monday = week_start(month)
        weeks = []
        while monday <= end:
            if week_month(monday) == month:
                weeks.append(monday)
            monday += timedelta(days=7)
        return month, end, weeks, month
    monday = week_start(day)
    return monday, monday + timedelta(days=6), [monday], week_month(monday)


def team_board(*, viewer, period: str = WEEK, day: date, now: datetime | None = None) -> Board:
    """Per account manager in the viewer's scope (not the viewer himself): the period's work logs
    handed in and missing (due working days from his hire date), and per document type the period's
    documents with state and overdue flag. A week shows its arrangement and summary and the targets,
    plan and summary of its month; a month shows each of its weeks. Eight queries whatever the size."""
    people = [person for person in account_managers_for(viewer) if person.pk != viewer.pk]
    now = now or timezone.now()
    board = _board(people, period=period, day=day, now=now)
    board.appraisal_sheets_missing = _appraisal_sheets_missing(people, today=timezone.localdate(now))
    return board


def _appraisal_sheets_missing(people: list, *, today: date) -> list:
    """003: 每月30日前上交下属人员绩效考核表 — the board flags the teams whose sheet is still missing.
    Appraisal sits above planning, so it is imported here only, when the board is built."""
    from amdesk.appraisal.selectors.overview import missing_sign_offs_by_node

    nodes = {person.org_node_id: person.org_node for person in people if person.org_node_id}
    missing = missing_sign_offs_by_node(nodes)
    rows = []
    for node, periods in missing.items():
        flagged = [(period, bool(period.sign_off_due and period.sign_off_due < today)) for period in periods]
        rows.append((nodes[node], flagged))
    return rows


def own_board_row(user, *, day: date, now: datetime | None = None) -> BoardRow | None:
    """The user's own row of the week's board; None when he is not an active account manager."""
    me = list(account_managers_for(user).filter(pk=user.pk))
    if not me:
        return None
    return _board(me, period=WEEK, day=day, now=now or timezone.now()).rows[0]


def _board(people: list, *, period: str, day: date, now: datetime) -> Board:
    settings = PlanningSettings.current()
    start, end, weeks, month = _period(period, day)
    ids = [person.pk for person in people]
    log_days = [d for d in working_days(start, end) if due_at(d, settings.log_due_time) <= now]
    handed_in: set[tuple[int, date]] = set()
    if ids and log_days:
        handed_in = set(
            WorkLog.objects.filter(
                owner__in=ids, day__range=(log_days[0], log_days[-1]), state__in=HANDED_IN_STATES
            ).values_list("owner_id", "day")
        )
    # The monthly summary shown is the one due in the period: the previous month's (a month's summary
    # is due on a working day of the next month).
    summary_month = previous_month(month)
    periods = {
        ARRANGEMENT: weeks,
        WEEKLY_SUMMARY: weeks,
        MONTHLY_PLAN: [month],
        MONTHLY_SUMMARY: [summary_month],
    }
    found: dict[tuple[str, int, date], object] = {}
    if ids:
        for kind, wanted in periods.items():
            spec = KINDS[kind]
            documents = spec.model.objects.filter(owner__in=ids, **{f"{spec.period_field}__in": wanted})
            for document in documents.only(
                "pk", "owner_id", "state", "due_at", "submitted_at", spec.period_field
            ):
                found[(kind, document.owner_id, getattr(document, spec.period_field))] = document
        for sheet in TargetSheet.objects.filter(owner__in=ids, month=month).only(
            "pk", "owner_id", "state", "due_at", "submitted_at", "month"
        ):
            found[(TARGETS, sheet.owner_id, month)] = sheet
    dues = {
        (kind, value): KINDS[kind].due_at(value, settings)
        for kind, wanted in periods.items()
        for value in wanted
    }
    dues[(TARGETS, month)] = targets_due_at(month, settings)
    periods[TARGETS] = [month]
    # The weeks' visit schedules: due from the visit settings, judged by that moment whatever their
    # state (a schedule keeps no due moment of its own).
    visit_settings = VisitSettings.current()
    periods[SCHEDULE] = weeks
    for week in weeks:
        dues[(SCHEDULE, week)] = schedule_due_at(week, visit_settings)
    if ids:
        for schedule in VisitSchedule.objects.filter(owner__in=ids, week_start__in=weeks).only(
            "pk", "owner_id", "state", "week_start", "submitted_at"
        ):
            found[(SCHEDULE, schedule.owner_id, schedule.week_start)] = schedule
    rows = []
    for person in people:
        row = BoardRow(person)
        since = person.hire_date or start
        counted = [d for d in log_days if d >= since]
        row.logs_handed_in = sum(1 for d in counted if (person.pk, d) in handed_in)
        row.logs_missing = len(counted) - row.logs_handed_in
        for kind, wanted in periods.items():
            row.cells[kind] = []
            for value in wanted:
                document = found.get((kind, person.pk, value))
                # handed in: the due moment it was judged against; else the calendar's of today
                handed_in_at = document is not None and document.submitted_at is not None
                stored = handed_in_at and kind != SCHEDULE
                cell = Cell(kind, value, document.due_at if stored else dues[(kind, value)], document)
                cell.overdue = cell.pending and cell.due_at <= now
                cell.url = _document_url(kind, value, person.pk, document)
                row.cells[kind].append(cell)
        rows.append(row)
    return Board(MONTH if period == MONTH else WEEK, start, end, weeks, month, rows, summary_month)


def _document_url(kind: str, period: date, owner_id: int, document=None) -> str:
    if kind == SCHEDULE:
        if document is not None:
            return reverse("visits:schedule", args=[document.pk])
        return reverse("visits:schedules") + f"?week={period.isoformat()}"
    if kind == TARGETS:
        return reverse("planning:targets-month", args=[period.strftime("%Y-%m")]) + f"?owner={owner_id}"
    value = period.isoformat() if KINDS[kind].weekly else period.strftime("%Y-%m")
    return reverse(f"planning:{kind}", args=[value]) + f"?owner={owner_id}"


@dataclass
class DueSoon:
    """A reminder on the desk: one of the user's documents due today or on the next working day."""

    kind: str
    label: str
    period: date
    due_at: datetime
    document: object = None
    url: str = ""

    @property
    def today(self) -> bool:
        return timezone.localdate(self.due_at) == timezone.localdate()


def due_soon(user, *, today: date, now: datetime | None = None) -> list[DueSoon]:
    """The user's documents (weekly arrangement and summary, monthly plan and summary, targets
    proposal) due today or on the next working day, not yet handed in (none, a draft, or returned)
    and not yet overdue; soonest first. Due moments are computed in Python from the calendar, then
    one query per document type."""
    now = now or timezone.now()
    settings = PlanningSettings.current()
    following = calendar.next_working_day(today + timedelta(days=1))
    days = {today, following}
    this_month, next_month = month_start(today), month_start(following)
    periods = {
        ARRANGEMENT: {week_start(today), week_start(following)},
        WEEKLY_SUMMARY: {week_start(today), week_start(following)},
        MONTHLY_PLAN: {this_month, next_month},
        MONTHLY_SUMMARY: {previous_month(this_month), this_month},
        TARGETS: {this_month, next_month},
        # a week's visit schedule is due before the week: the next week's, or the one after
        SCHEDULE: {
            week_start(today) + timedelta(days=7),
            week_start(following),
            week_start(following) + timedelta(days=7),
        },
    }
    visit_settings = VisitSettings.current()

    def due_of(kind: str, value: date) -> datetime:
        if kind == TARGETS:
            return targets_due_at(value, settings)
        if kind == SCHEDULE:
            return schedule_due_at(value, visit_settings)
        return KINDS[kind].due_at(value, settings)

    wanted: dict[str, dict[date, datetime]] = {}
    for kind, values in periods.items():
        for value in values:
            due = due_of(kind, value)
            if timezone.localdate(due) in days and due > now:
                wanted.setdefault(kind, {})[value] = due
    found = []
    for kind, dues in wanted.items():
        if kind == TARGETS:
            model, field_name, label = TargetSheet, "month", _("Monthly targets")
        elif kind == SCHEDULE:
            model, field_name, label = VisitSchedule, "week_start", _("Weekly visit schedule")
        else:
            model, field_name, label = KINDS[kind].model, KINDS[kind].period_field, str(KINDS[kind].label)
        documents = {
            getattr(document, field_name): document
            for document in model.objects.filter(owner=user, **{f"{field_name}__in": list(dues)}).only(
                "pk", "state", "owner_id", field_name
            )
        }
        for value, due in dues.items():
            document = documents.get(value)
            if document is not None and document.state in (DocState.SUBMITTED, DocState.REVIEWED):
                continue
            if kind == SCHEDULE:
                url = reverse("visits:schedule-week", args=[value.isoformat()])
                found.append(DueSoon(kind, label, value, due, document, url))
                continue
            url = _document_url(kind, value, user.pk)
            found.append(DueSoon(kind, label, value, due, document, url.split("?")[0]))
    return sorted(found, key=lambda item: (item.due_at, item.kind))


def plans_desk(user, *, today: date, now: datetime | None = None) -> dict:
    """The desk card's figures of the weekly and monthly documents: the user's own overdue ones and
    whether his targets proposal of this month is overdue; for someone overseeing others, how many of
    their documents of this week and month are overdue, whose targets are missing, and how many
    documents wait for his review. A fixed number of queries."""
    now = now or timezone.now()
    figures = {"own_overdue": 0, "targets_missing": False}
    own = own_board_row(user, day=today, now=now)
    figures["due_soon"] = due_soon(user, today=today, now=now) if own is not None else []
    if own is not None:
        figures["own_overdue"] = sum(
            cell.overdue for kind, cells in own.cells.items() if kind != TARGETS for cell in cells
        )
        figures["targets_missing"] = any(cell.overdue for cell in own.cells[TARGETS])
    if may_hand_over(user):
        board = team_board(viewer=user, period=WEEK, day=today, now=now)
        figures["team_overdue"] = sum(
            cell.overdue
            for row in board.rows
            for kind, cells in row.cells.items()
            if kind != TARGETS
            for cell in cells
        )
        figures["team_targets_missing"] = sum(
            1 for row in board.rows if any(cell.overdue for cell in row.cells[TARGETS])
        )
        figures["plans_waiting"] = sum(
            scoped(spec.model.objects.exclude(owner=user), records_q(user))
            .filter(state=DocState.SUBMITTED)
            .count()
            for spec in KINDS.values()
        )
    return figures


__all__ = [
    "MONTH",
    "SCHEDULE",
    "TARGETS",
    "WEEK",
    "Board",
    "BoardRow",
    "Cell",
    "DueSoon",
    "CompletionRow",
    "PlanRow",
    "ProgressRow",
    "access_plan_document",
    "archive_counts",
    "due_soon",
    "frozen_figures",
    "month_completion",
    "month_indicators",
    "own_board_row",
    "plan_document_of",
    "plan_documents_for",
    "plans_desk",
    "summary_figures",
    "team_board",
    "week_progress",
    "week_visit_schedule",
]
