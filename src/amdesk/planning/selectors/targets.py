"""Reads of monthly targets: an account manager's month table as on the paper form 目标设定表
(last month's target and achieved, this month's target, weeks 1–5 target/achieved, month actual,
on track or behind), the team's month, and the completion per indicator appraisal reads.

Achieved figures are the daily performance registrations (one GROUP BY per read, folded into
the grid's weeks in Python), or for a computed indicator the figures of its source (sources.py:
logs, visits, the client archive; one query per source). "On track" compares the achieved share
of the target with the share of the month's working days already past (the working-day calendar),
scaled by the settings' percent."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404

from amdesk.core import calendar
from amdesk.orgs.access import records_q, scoped

from ..models import WEEKS, PerformanceEntry, PerformanceItem, PlanningSettings, TargetLine, TargetSheet
from ..services.common import month_start
from ..services.performance import month_end
from ..services.targets import week_of
from ..sources import computed_daily
from .logs import account_managers_for

ZERO = Decimal("0")
DONE, ON_TRACK, BEHIND = "done", "on_track", "behind"


def target_sheets_for(viewer):
    return scoped(TargetSheet.objects.all(), records_q(viewer)).select_related("owner", "reviewer", "set_by")


def access_target_sheet(viewer, sheet_id) -> TargetSheet:
    sheet = target_sheets_for(viewer).filter(pk=sheet_id).first()
    if sheet is None:
        raise Http404("No such target sheet.")
    return sheet


def previous_month(month: date) -> date:
    return (month_start(month) - timedelta(days=1)).replace(day=1)


def expected_share(month: date, today: date) -> Decimal:
    """Share (0–1) of the month's working days that are over by `today` (today itself not yet)."""
    month = month_start(month)
    last = month_end(month)
    if today > last:
        return Decimal(1)
    if today <= month:
        return ZERO
    total = elapsed = 0
    day = month
    while day <= last:
        if calendar.is_working_day(day):
            total += 1
            elapsed += day < today
        day += timedelta(days=1)
    return Decimal(elapsed) / Decimal(total) if total else Decimal(1)


def target_status(target, achieved, share: Decimal, percent: int) -> str:
    """done, on_track or behind; "" without a target."""
    if not target:
        return ""
    if achieved >= target:
        return DONE
    return ON_TRACK if achieved / target >= share * percent / 100 else BEHIND


def computed_items() -> list[PerformanceItem]:
    """The indicators computed from the system's data (a source), active or not: one query."""
    return list(PerformanceItem.objects.exclude(source=""))


def achieved_daily(owner_ids, start: date, end: date) -> list[tuple[int, int, date, Decimal]]:
    """(staff id, item id, day, value) achieved in the period: the registrations (one GROUP BY) and
    the computed indicators (one query for them, one per source used), whatever the number of AMs."""
    owner_ids = list(owner_ids)
    rows = list(
        PerformanceEntry.objects.filter(sheet__owner__in=owner_ids, day__range=(start, end))
        .values_list("sheet__owner_id", "item_id", "day")
        .annotate(total=Sum("value"))
        .order_by()
    )
    computed = computed_daily(computed_items(), owner_ids, start, end) if owner_ids else {}
    rows.extend((owner, item, day, value) for (owner, item, day), value in computed.items())
    return rows


def achieved_by_week(owner_ids, month: date) -> dict[tuple[int, int], list[Decimal]]:
    """{(staff id, item id): [week 1 … week 5, month]} achieved in `month`: registered, or computed
    from the indicator's source (achieved_daily)."""
    month = month_start(month)
    return _by_week(achieved_daily(owner_ids, month, month_end(month)), month)


def _by_week(rows, month: date) -> dict[tuple[int, int], list[Decimal]]:
    """Fold achieved_daily rows of `month` into weeks 1–5 and the month."""
    found: dict[tuple[int, int], list[Decimal]] = {}
    last = month_end(month)
    for owner_id, item_id, day, total in rows:
        if not month <= day <= last:
            continue
        values = found.setdefault((owner_id, item_id), [ZERO] * (WEEKS + 1))
        values[week_of(month, day) - 1] += total
        values[WEEKS] += total
    return found


def _lines(owner_ids, months) -> dict[tuple[int, date], dict[int, TargetLine]]:
    found: dict[tuple[int, date], dict[int, TargetLine]] = {}
    for line in TargetLine.objects.filter(
        sheet__owner__in=list(owner_ids), sheet__month__in=months
    ).select_related("sheet"):
        found.setdefault((line.sheet.owner_id, line.sheet.month), {})[line.item_id] = line
    return found


@dataclass
class TargetRow:
    item: PerformanceItem
    last_target: Decimal | None
    last_achieved: Decimal
    target: Decimal | None
    weeks: list[tuple[Decimal | None, Decimal]]  # (target, achieved) of weeks 1–5
    achieved: Decimal
    status: str

    @property
    def rate(self) -> float | None:
        return round(float(100 * self.achieved / self.target), 1) if self.target else None


@dataclass
class MonthTargets:
    owner_id: int
    month: date
    sheet: TargetSheet | None
    rows: list[TargetRow]
    share: Decimal  # expected share of the month elapsed
    week_days: list[int] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.sheet.version if self.sheet else 0

    @property
    def behind(self) -> list[TargetRow]:
        return [row for row in self.rows if row.status == BEHIND]


def month_targets(*, owner, month: date, today: date) -> MonthTargets:
    """The owner's target table of `month` (the caller checked he may see it): a fixed number of
    queries. Rows: every active indicator, and any other with a target or figures."""
    from ..services.targets import week_working_days

    month = month_start(month)
    last_month = previous_month(month)
    sheet = TargetSheet.objects.filter(owner=owner, month=month).select_related("reviewer", "set_by").first()
    lines = _lines([owner.pk], [month, last_month])
    now_lines = lines.get((owner.pk, month), {})
    last_lines = lines.get((owner.pk, last_month), {})
    daily = achieved_daily([owner.pk], last_month, month_end(month))  # both months at once
    achieved = _by_week(daily, month)
    last_achieved = _by_week(daily, last_month)
    used = set(now_lines) | {item for _owner, item in achieved}
    items = PerformanceItem.objects.filter(Q(is_active=True) | Q(pk__in=used)).order_by("order", "code")
    share = expected_share(month, today)
    percent = PlanningSettings.current().target_on_track_percent
    rows = []
    for item in items:
        line = now_lines.get(item.pk)
        got = achieved.get((owner.pk, item.pk), [ZERO] * (WEEKS + 1))
        before = last_lines.get(item.pk)
        target = line.target if line else None
        rows.append(
            TargetRow(
                item=item,
                last_target=before.target if before else None,
                last_achieved=last_achieved.get((owner.pk, item.pk), [ZERO] * (WEEKS + 1))[WEEKS],
                target=target,
                weeks=[(line.weeks[n] if line else None, got[n]) for n in range(WEEKS)],
                achieved=got[WEEKS],
                status=target_status(target, got[WEEKS], share, percent),
            )
        )
    return MonthTargets(owner.pk, month, sheet, rows, share, week_working_days(month))


@dataclass
class TeamTargetRow:
    person: object
    sheet: TargetSheet | None
    cells: dict[int, tuple[Decimal | None, Decimal, str]]  # item id → (target, achieved, status)

    @property
    def behind(self) -> int:
        return sum(1 for _t, _a, status in self.cells.values() if status == BEHIND)


def team_targets(*, viewer, month: date, today: date) -> tuple[list[PerformanceItem], list[TeamTargetRow]]:
    """Per account manager in the viewer's scope, per active indicator: target, achieved, status.
    Five queries whatever the size of the team."""
    month = month_start(month)
    people = list(account_managers_for(viewer))
    ids = [person.pk for person in people]
    sheets = {sheet.owner_id: sheet for sheet in TargetSheet.objects.filter(owner__in=ids, month=month)}
    lines = _lines(ids, [month])
    achieved = achieved_by_week(ids, month)
    items = list(PerformanceItem.objects.filter(is_active=True).order_by("order", "code"))
    share = expected_share(month, today)
    percent = PlanningSettings.current().target_on_track_percent
    rows = []
    for person in people:
        mine = lines.get((person.pk, month), {})
        cells = {}
        for item in items:
            line = mine.get(item.pk)
            got = achieved.get((person.pk, item.pk), [ZERO] * (WEEKS + 1))[WEEKS]
            target = line.target if line else None
            cells[item.pk] = (target, got, target_status(target, got, share, percent))
        rows.append(TeamTargetRow(person, sheets.get(person.pk), cells))
    return items, rows


@dataclass(frozen=True)
class Completion:
    target: Decimal
    achieved: Decimal

    @property
    def rate(self) -> float | None:
        """Achieved in percent of the target (None without a target)."""
        return round(float(100 * self.achieved / self.target), 1) if self.target else None


def target_completion(staff_ids, month: date, *, viewer=None) -> dict[int, dict[int, Completion]]:
    """{staff id: {item id: Completion}} of `month` for the indicators with a target: two queries.
    Appraisal's read; with `viewer`, staff outside his scope are left out."""
    month = month_start(month)
    sheets = TargetLine.objects.filter(sheet__owner__in=list(staff_ids), sheet__month=month)
    if viewer is not None:
        sheets = sheets.filter(records_q(viewer, owner_field="sheet__owner", node_field="sheet__org_node"))
    targets = list(sheets.values_list("sheet__owner_id", "item_id", "target"))
    achieved = achieved_by_week({owner for owner, _i, _t in targets}, month) if targets else {}
    result: dict[int, dict[int, Completion]] = {}
    for owner, item, target in targets:
        got = achieved.get((owner, item), [ZERO] * (WEEKS + 1))[WEEKS]
        result.setdefault(owner, {})[item] = Completion(target, got)
    return result


__all__ = [
    "BEHIND",
    "DONE",
    "ON_TRACK",
    "Completion",
    "MonthTargets",
    "TargetRow",
    "TeamTargetRow",
    "access_target_sheet",
    "achieved_by_week",
    "achieved_daily",
    "computed_items",
    "expected_share",
    "month_targets",
    "previous_month",
    "target_completion",
    "target_sheets_for",
    "target_status",
    "team_targets",
]
