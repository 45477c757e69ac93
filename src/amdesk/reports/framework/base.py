"""What every report is and returns. A report class says who may read it (`is_available_to`), which
periods it covers, and gathers a ReportData in the viewer's scope; the formatters (html, xlsx, pdf)
render any ReportData, so a new report writes no output code.

Charts are data too (categories × series): the page draws them with ECharts and always shows the
same numbers as a table; the .xlsx and the PDF write them as tables (the PDF also as bars).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amdesk.core.i18n import quarter_label

Label = str | Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: Label
    # text | int | number | money | percent (0–100) | date: how the formatters align and format it
    kind: str = "text"


@dataclass
class Table:
    title: Label
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None  # a last row, by column key
    note: Label = ""


@dataclass
class Series:
    name: Label
    values: list[float | int | None]


@dataclass
class Chart:
    title: Label
    kind: str  # bar | line | pie | heatmap
    categories: list[Label]
    series: list[Series]
    unit: Label = ""
    # heatmap only: the row labels (series are then one per row, values one per category)

    def as_table(self) -> Table:
        columns = [Column("category", "")] + [
            Column(f"s{i}", s.name, "number") for i, s in enumerate(self.series)
        ]
        rows = [
            {"category": category, **{f"s{i}": s.values[n] for i, s in enumerate(self.series)}}
            for n, category in enumerate(self.categories)
        ]
        return Table(self.title, columns, rows)


@dataclass
class Text:
    title: Label
    body: str  # plain text; paragraphs separated by blank lines
    items: list[str] = field(default_factory=list)  # an optional bullet list after the body


Block = Table | Chart | Text


@dataclass
class Section:
    title: Label
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReportData:
    title: Label
    subtitle: Label  # who and what it covers: "第一团队 · 2026年11月"
    period_label: Label
    sections: list[Section]
    notes: list[Label] = field(default_factory=list)  # provisional calendar years, masked data…


@dataclass(frozen=True)
class ReportPeriod:
    """A calendar month, quarter or year. `code`: 2026-11, 2026-Q4, 2026."""

    kind: str  # month | quarter | year
    start: date
    end: date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> ReportPeriod:
        return cls("month", date(year, month, 1), date(year, month, _calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> ReportPeriod:
        first = 3 * (quarter - 1) + 1
        return cls(
            "quarter", date(year, first, 1), date(year, first + 2, _calendar.monthrange(year, first + 2)[1])
        )

    @classmethod
    def year(cls, year: int) -> ReportPeriod:
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, code: str) -> ReportPeriod:
        """Raises ValueError with a message in the user's language on a malformed code."""
        text = (code or "").strip().upper()
        try:
            if "-Q" in text:
                year, quarter = text.split("-Q")
                if not 1 <= int(quarter) <= 4:
                    raise ValueError
                return cls.quarter(int(year), int(quarter))
            if "-" in text:
                year, month = text.split("-")
                return cls.month(int(year), int(month))
            return cls.year(int(text))
        except (ValueError, TypeError):
            raise ValueError(_("Not a period: write 2026-11, 2026-Q4 or 2026.")) from None

    @classmethod
    def containing(cls, kind: str, day: date) -> ReportPeriod:
        if kind == "month":
            return cls.month(day.year, day.month)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.year(day.year)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """As people write it: 2026年11月, 2026年第4季度, 2026年 (2026-11, 2026 Q4, 2026 in English)."""
        if self.kind == "month":
            # the Chinese drops the zero: %(month)d
            return pgettext("report period", "%(year)s-%(month)02d") % {
                "year": self.start.year,
                "month": self.start.month,
            }
        if self.kind == "quarter":
            return quarter_label(self.start.year, (self.start.month - 1) // 3 + 1)
        return pgettext("report period", "%(year)s") % {"year": self.start.year}

    def previous(self) -> ReportPeriod:
        from datetime import timedelta

        return ReportPeriod.containing(self.kind, self.start - timedelta(days=1))

    def same_last_year(self) -> ReportPeriod:
        return ReportPeriod.containing(self.kind, self.start.replace(year=self.start.year - 1))


class Report:
    """Subclass, set the class attributes, implement is_available_to and gather, and decorate with
    @register. `node` narrows the report to one org subtree inside the viewer's scope (the roll-up:
    a head reads his branch, then one team); None = all the viewer may see."""

    code: ClassVar[str]
    title: ClassVar[Label]
    description: ClassVar[Label] = ""
    period_kinds: ClassVar[tuple[str, ...]] = ("month",)
    group: ClassVar[Label] = ""  # the heading the report is listed under (the app it reads)
    do_not_call_in_templates: ClassVar[bool] = True  # templates list the classes themselves

    def __init__(self, *, viewer, period: ReportPeriod, node=None):
        self.viewer = viewer
        self.period = period
        self.node = node

    @classmethod
    def is_available_to(cls, user) -> bool:
        raise NotImplementedError

    def gather(self) -> ReportData:
        raise NotImplementedError


REGISTRY: dict[str, type[Report]] = {}


def register(report_class: type[Report]) -> type[Report]:
    if report_class.code in REGISTRY and REGISTRY[report_class.code] is not report_class:
        raise ValueError(f"two reports share the code {report_class.code!r}")
    REGISTRY[report_class.code] = report_class
    return report_class


def available_reports(user) -> list[type[Report]]:
    return [report for report in REGISTRY.values() if report.is_available_to(user)]
