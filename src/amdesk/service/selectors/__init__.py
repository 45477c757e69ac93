from .desk import alerts_for, desk_tickets, tickets_owner_left
from .kpis import GROUPS, ServiceKpiReport, ServiceKpis, Targets, service_kpis
from .tickets import (
    Countdown,
    access_ticket,
    filter_tickets,
    ticket_countdown,
    ticket_events,
    tickets_for,
    tickets_of_client,
    visible_alerts,
    with_sla,
)

__all__ = [
    "GROUPS",
    "Countdown",
    "ServiceKpiReport",
    "ServiceKpis",
    "Targets",
    "access_ticket",
    "alerts_for",
    "desk_tickets",
    "filter_tickets",
    "service_kpis",
    "ticket_countdown",
    "ticket_events",
    "tickets_for",
    "tickets_of_client",
    "tickets_owner_left",
    "visible_alerts",
    "with_sla",
]
