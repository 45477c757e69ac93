from .common import StaleTicket, capacities, check_signature
from .rating import (
    RatingLinkInvalid,
    rating_link_check,
    ticket_rate,
    ticket_rate_by_token,
    ticket_rating_link_issue,
)
from .settings import service_settings_update
from .sla import sla_apply, sla_pause_end
from .sweep import SweepResult, alert_mark_read, supervisor_for, ticket_sla_sweep
from .tickets import (
    COMPLAINT_TYPES,
    EDIT_FIELDS,
    OPEN_FIELDS,
    find_repeat_of,
    ticket_open,
    ticket_sign,
    ticket_update,
)
from .transitions import available_actions, ticket_transition

__all__ = [
    "COMPLAINT_TYPES",
    "EDIT_FIELDS",
    "OPEN_FIELDS",
    "RatingLinkInvalid",
    "StaleTicket",
    "SweepResult",
    "alert_mark_read",
    "available_actions",
    "capacities",
    "check_signature",
    "find_repeat_of",
    "rating_link_check",
    "service_settings_update",
    "sla_apply",
    "sla_pause_end",
    "supervisor_for",
    "ticket_open",
    "ticket_rate",
    "ticket_rate_by_token",
    "ticket_rating_link_issue",
    "ticket_sign",
    "ticket_sla_sweep",
    "ticket_transition",
    "ticket_update",
]
