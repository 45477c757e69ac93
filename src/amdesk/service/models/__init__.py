from .choices import (
    AlertKind,
    Approval,
    Channel,
    DeadlineKind,
    Priority,
    RatedVia,
    Remedy,
    SlaStatus,
    TicketState,
    TicketType,
)
from .reference import ServiceSettings, SlaPolicy
from .ticket import (
    DONE_STATES,
    OPEN_STATES,
    RatingLink,
    ServiceAlert,
    Ticket,
    TicketEvent,
    TicketSequence,
)

__all__ = [
    "DONE_STATES",
    "OPEN_STATES",
    "AlertKind",
    "Approval",
    "Channel",
    "DeadlineKind",
    "Priority",
    "RatedVia",
    "RatingLink",
    "Remedy",
    "ServiceAlert",
    "ServiceSettings",
    "SlaPolicy",
    "SlaStatus",
    "Ticket",
    "TicketEvent",
    "TicketSequence",
    "TicketState",
    "TicketType",
]
