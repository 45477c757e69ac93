"""The service API: tickets, their workflow and rating, and the service KPIs, scoped like the pages."""

from .alerts import AlertListApi, AlertReadApi
from .kpis import ServiceKpiApi
from .tickets import TicketDetailApi, TicketListApi, TicketRatingApi, TicketTransitionApi

__all__ = [
    "AlertListApi",
    "AlertReadApi",
    "ServiceKpiApi",
    "TicketDetailApi",
    "TicketListApi",
    "TicketRatingApi",
    "TicketTransitionApi",
]
