from .common import StaleDocument, StaleSheet, month_start
from .documents import (
    available_transitions,
    current_due_at,
    document_transition,
    due_at,
    due_provisional,
    may_review,
    shown_due_at,
)
from .followups import follow_up_action_done, follow_up_create, follow_up_update
from .performance import month_end, parse_value, performance_sheet_save
from .plans import KINDS, kind_of, plan_document_save, week_month, week_start
from .targets import (
    split_total,
    target_sheet_save,
    targets_due_at,
    team_targets_split,
    week_of,
    weekly_split,
)
from .worklogs import work_log_create, work_log_save, work_log_update

__all__ = [
    "KINDS",
    "kind_of",
    "plan_document_save",
    "week_month",
    "week_start",
    "follow_up_action_done",
    "follow_up_create",
    "follow_up_update",
    "split_total",
    "target_sheet_save",
    "targets_due_at",
    "team_targets_split",
    "week_of",
    "weekly_split",
    "StaleDocument",
    "StaleSheet",
    "available_transitions",
    "document_transition",
    "current_due_at",
    "due_at",
    "due_provisional",
    "shown_due_at",
    "may_review",
    "month_end",
    "month_start",
    "parse_value",
    "performance_sheet_save",
    "work_log_create",
    "work_log_save",
    "work_log_update",
]
