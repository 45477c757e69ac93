"""Reads of the daily performance registration: the month sheet as on the paper form (weeks ×
weekdays, one row per item, week and month totals) and the totals appraisal reads."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from amdesk.core import calendar
from amdesk.core.i18n import labelled
from amdesk.orgs.access import records_q, scoped

from ..models import PerformanceEntry, PerformanceItem, PerformanceSheet
from ..services.common import month_start
from ..services.performance import month_end


@dataclass
class Cell:
    day: date | None  # None: a weekday of the week outside the month
    value: Decimal | None = None
    editable: bool = False
    working: bool = True


@dataclass
class ItemRow:
    item: PerformanceItem
    cells: list[Cell]
    total: Decimal = Decimal("0")


@dataclass
class Week:
    number: int
    days: list[date | None]
    rows: list[ItemRow]


@dataclass
class MonthSheet:
    owner_id: int
    month: date
    version: int  # 0: nothing saved yet
    items: list[PerformanceItem]
    weeks: list[Week] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)  # item id → month total
    values: dict[tuple[int, date], Decimal] = field(default_factory=dict)
    sheet: PerformanceSheet | None = None

    @property
    def item_totals(self) -> list[tuple[PerformanceItem, Decimal]]:
        return [(item, self.totals.get(item.pk, Decimal("0"))) for item in self.items]


def month_sheet(*, owner, month: date, today: date, editable: bool) -> MonthSheet:
    """The owner's sheet of `month` (the caller has checked he may see it): three queries."""
    month = month_start(month)
    last = month_end(month)
    sheet = PerformanceSheet.objects.filter(owner=owner, month=month).first()
    values: dict[tuple[int, date], Decimal] = {}
    if sheet is not None:
        values = {
            (item_id, day): value
            for item_id, day, value in PerformanceEntry.objects.filter(sheet=sheet).values_list(
                "item_id", "day", "value"
            )
        }
    used = {item_id for item_id, _day in values}
    items = list(
        PerformanceItem.objects.filter(Q(is_active=True, source="") | Q(pk__in=used)).order_by(
            "order", "code"
        )
    )
    result = MonthSheet(
        owner_id=owner.pk, month=month, version=sheet.version if sheet else 0, items=items, sheet=sheet
    )
    result.values = values
    monday = month - timedelta(days=month.weekday())
    number = 0
    while monday <= last:
        number += 1
        days = [monday + timedelta(days=i) for i in range(7)]
        days = [day if month <= day <= last else None for day in days]
        rows = []
        for item in items:
            cells = []
            total = Decimal("0")
            for day in days:
                if day is None:
                    cells.append(Cell(None))
                    continue
                value = values.get((item.pk, day))
                total += value or 0
                cells.append(
                    Cell(
                        day,
                        value,
                        editable=editable and day <= today and (item.is_active or value is not None),
                        working=calendar.is_working_day(day),
                    )
                )
            rows.append(ItemRow(item, cells, total))
        result.weeks.append(Week(number, days, rows))
        monday += timedelta(days=7)
    for item in items:
        result.totals[item.pk] = sum(
            (value for (item_id, _day), value in values.items() if item_id == item.pk), Decimal("0")
        )
    return result


def unsaved_cells(*, owner, month: date, cells: dict[tuple[str, date], str]) -> list[str]:
    """The posted cells of a refused (stale) save that differ from what is stored now, as "item name
    MM-DD: value" lines for the page's "not saved" message (two queries)."""
    from ..services.performance import parse_value

    items = {
        item.code: item for item in PerformanceItem.objects.filter(code__in={code for code, _d in cells})
    }
    stored = {
        (item_id, day): value
        for item_id, day, value in PerformanceEntry.objects.filter(
            sheet__owner=owner, sheet__month=month_start(month)
        ).values_list("item_id", "day", "value")
    }
    lines = []
    for (code, day), raw in sorted(cells.items(), key=lambda cell: (cell[0][1], cell[0][0])):
        item = items.get(code)
        if item is None:
            continue
        try:
            value = parse_value(raw)
        except ValueError:
            value = raw
        if value == stored.get((item.pk, day)):
            continue
        lines.append(labelled(f"{item} {day:%m-%d}", raw or "—"))
    return lines


def performance_entries_for(viewer):
    return scoped(
        PerformanceEntry.objects.all(),
        records_q(viewer, owner_field="sheet__owner", node_field="sheet__org_node"),
    )


def sheets_for(viewer):
    return scoped(PerformanceSheet.objects.all(), records_q(viewer))


def performance_totals(*, viewer, start: date, end: date) -> dict[int, dict[int, Decimal]]:
    """{staff id: {item id: total}} of the figures registered from `start` to `end` in the viewer's
    scope: one GROUP BY query."""
    totals: dict[int, dict[int, Decimal]] = {}
    rows = (
        performance_entries_for(viewer)
        .filter(day__range=(start, end))
        .values("sheet__owner_id", "item_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        totals.setdefault(row["sheet__owner_id"], {})[row["item_id"]] = row["total"]
    return totals
