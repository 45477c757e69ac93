from ..workflow import DocState
from .document import DocumentEvent, PeriodicDocument
from .followup import FollowUpAction, FollowUpPlan
from .performance import PerformanceEntry, PerformanceSheet
from .periodic import (
    MonthlyPlan,
    MonthlyPlanEvent,
    MonthlySummary,
    MonthlySummaryEvent,
    WeeklyArrangement,
    WeeklyArrangementEvent,
    WeeklySummary,
    WeeklySummaryEvent,
)
from .reference import PerformanceItem, PlanningSettings
from .sales_report import MonthlySalesReport, MonthlySalesReportEvent
from .target import WEEKS, TargetEvent, TargetLine, TargetSheet
from .worklog import WorkLog, WorkLogEvent, WorkLogOpening

__all__ = [
    "DocState",
    "DocumentEvent",
    "FollowUpAction",
    "FollowUpPlan",
    "MonthlyPlan",
    "MonthlySalesReport",
    "MonthlySalesReportEvent",
    "MonthlyPlanEvent",
    "MonthlySummary",
    "MonthlySummaryEvent",
    "WeeklyArrangement",
    "WeeklyArrangementEvent",
    "WeeklySummary",
    "WeeklySummaryEvent",
    "PerformanceEntry",
    "PerformanceItem",
    "PerformanceSheet",
    "PeriodicDocument",
    "PlanningSettings",
    "TargetEvent",
    "TargetLine",
    "TargetSheet",
    "WEEKS",
    "WorkLog",
    "WorkLogEvent",
    "WorkLogOpening",
]
