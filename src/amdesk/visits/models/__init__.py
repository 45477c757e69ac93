from .anomaly import AnomalyKind, FindingOutcome
from .inspection import LoanInspection
from .reference import ChecklistItem, VisitNorm, VisitSettings
from .schedule import ScheduleEntry, VisitSchedule
from .visit import ClientLocation, Visit, VisitFinding

__all__ = [
    "AnomalyKind",
    "FindingOutcome",
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
