from .findings import finding_close, may_close_findings
from .inspections import inspection_add, inspection_record, inspections_schedule
from .records import StaleVisit, may_edit, visit_record, visit_sign, visit_update
from .schedules import (
    Proposal,
    StaleSchedule,
    schedule_day_reroute,
    schedule_entry_add,
    schedule_entry_change,
    schedule_entry_remove,
    schedule_propose,
    schedule_review,
    schedule_submit,
    week_of,
)

__all__ = [
    "Proposal",
    "StaleSchedule",
    "StaleVisit",
    "finding_close",
    "inspection_add",
    "inspection_record",
    "inspections_schedule",
    "may_close_findings",
    "may_edit",
    "schedule_day_reroute",
    "schedule_entry_add",
    "schedule_entry_change",
    "schedule_entry_remove",
    "schedule_propose",
    "schedule_review",
    "schedule_submit",
    "visit_record",
    "visit_sign",
    "visit_update",
    "week_of",
]
