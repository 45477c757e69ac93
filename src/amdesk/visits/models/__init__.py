from .inspection import LoanInspection
from .reference import ChecklistItem, VisitNorm, VisitSettings
from .schedule import ScheduleEntry, VisitSchedule
from .visit import ClientLocation, Visit, VisitFinding

__all__ = [
    "ChecklistItem",
    "ClientLocation",
    "LoanInspection",
    "ScheduleEntry",
    "Visit",
    "VisitFinding",
    "VisitNorm",
    "VisitSchedule",
    "VisitSettings",
]
