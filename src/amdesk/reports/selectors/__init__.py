"""Reads of the reports app: which reports a viewer may open, and one report in his scope."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone

from ..framework.base import REGISTRY, Report, ReportPeriod, available_reports
from ..framework.rollup import node_choices, resolve_node


def access_report_class(viewer, code: str) -> type[Report]:
    """The report class of `code`, "not found" for both an unknown code and one not available to him."""
    report = REGISTRY.get(code)
    if report is None or not report.is_available_to(viewer):
        raise Http404("No such report.")
    return report


def default_period(report: type[Report], today: date | None = None) -> ReportPeriod:
    """The last complete period of the report's first kind (reports read finished months)."""
    today = today or timezone.localdate()
    return ReportPeriod.containing(report.period_kinds[0], today).previous()


def parse_period(report: type[Report], code: str | None, today: date | None = None) -> ReportPeriod:
    """The period asked for (the default when none is), ValueError for one the report does not cover."""
    if not code:
        return default_period(report, today)
    period = ReportPeriod.parse(code)
    if period.kind not in report.period_kinds:
        raise ValueError(f"this report covers {', '.join(report.period_kinds)} periods")
    return period


def report_for(viewer, code: str, *, period: str | None = None, node=None) -> Report:
    """One report instance in the viewer's scope (Http404 for a report or node out of it; ValueError
    for a malformed period)."""
    report_class = access_report_class(viewer, code)
    return report_class(
        viewer=viewer, period=parse_period(report_class, period), node=resolve_node(viewer, node)
    )


def period_choices(report: type[Report], today: date | None = None, count: int = 12) -> list[ReportPeriod]:
    """Recent periods of every kind the report covers, newest first."""
    today = today or timezone.localdate()
    found = []
    for kind in report.period_kinds:
        period = ReportPeriod.containing(kind, today)
        for _step in range(count if kind == "month" else max(4, count // 3)):
            found.append(period)
            period = period.previous()
    return found


__all__ = [
    "access_report_class",
    "available_reports",
    "default_period",
    "node_choices",
    "parse_period",
    "period_choices",
    "report_for",
]
