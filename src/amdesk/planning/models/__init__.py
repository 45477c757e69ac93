from ..workflow import DocState
from .document import DocumentEvent, PeriodicDocument
from .performance import PerformanceEntry, PerformanceSheet
from .reference import PerformanceItem, PlanningSettings
from .worklog import WorkLog, WorkLogEvent, WorkLogOpening

__all__ = [
    "DocState",
    "DocumentEvent",
    "PerformanceEntry",
    "PerformanceItem",
    "PerformanceSheet",
    "PeriodicDocument",
    "PlanningSettings",
    "WorkLog",
    "WorkLogEvent",
    "WorkLogOpening",
]
