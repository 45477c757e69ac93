from .common import StaleTicket, capacities, check_signature
from .handover import ticket_owner_candidates, ticket_owner_for, tickets_follow_clients
from .rating import (
    RatingLinkInvalid,
    rating_link_check,
    rating_link_qr_svg,
    score_of,
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
    locked_fields,
    ticket_open,
    ticket_sign,
    ticket_update,
)
from .transitions import available_actions, last_requester_id, ticket_transition

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
    "last_requester_id",
    "locked_fields",
    "rating_link_check",
    "rating_link_qr_svg",
    "score_of",
    "service_settings_update",
    "sla_apply",
    "sla_pause_end",
    "supervisor_for",
    "ticket_open",
    "ticket_owner_candidates",
    "ticket_owner_for",
    "ticket_rate",
    "ticket_rate_by_token",
    "ticket_rating_link_issue",
    "ticket_sign",
    "ticket_sla_sweep",
    "ticket_transition",
    "ticket_update",
    "tickets_follow_clients",
]
