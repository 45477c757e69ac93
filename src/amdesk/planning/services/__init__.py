from .common import StaleDocument, StaleSheet, month_start
from .documents import available_transitions, document_transition, due_at, may_review
from .performance import month_end, parse_value, performance_sheet_save
from .worklogs import work_log_create, work_log_save, work_log_update

__all__ = [
    "StaleDocument",
    "StaleSheet",
    "available_transitions",
    "document_transition",
    "due_at",
    "may_review",
    "month_end",
    "month_start",
    "parse_value",
    "performance_sheet_save",
    "work_log_create",
    "work_log_save",
    "work_log_update",
]
