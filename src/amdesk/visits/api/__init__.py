"""The visit API: records, schedules, findings and post-loan inspections, scoped like the pages.

Split by entity; everything is importable from here (`from amdesk.visits.api import …`).
"""

from .findings import FindingCloseApi, FindingListApi, FindingOutputSerializer
from .inspections import (
    InspectionDetailApi,
    InspectionListApi,
    InspectionOutputSerializer,
    InspectionRecordApi,
)
from .schedules import (
    ScheduleDetailApi,
    ScheduleDetailOutputSerializer,
    ScheduleEntryDetailApi,
    ScheduleEntryListApi,
    ScheduleListApi,
    ScheduleReviewApi,
    ScheduleSubmitApi,
)
from .visits import VisitDetailApi, VisitListApi, VisitOutputSerializer, VisitSignApi

__all__ = [
    "FindingCloseApi",
    "FindingListApi",
    "FindingOutputSerializer",
    "InspectionDetailApi",
    "InspectionListApi",
    "InspectionOutputSerializer",
    "InspectionRecordApi",
    "ScheduleDetailApi",
    "ScheduleDetailOutputSerializer",
    "ScheduleEntryDetailApi",
    "ScheduleEntryListApi",
    "ScheduleListApi",
    "ScheduleReviewApi",
    "ScheduleSubmitApi",
    "VisitDetailApi",
    "VisitListApi",
    "VisitOutputSerializer",
    "VisitSignApi",
]
