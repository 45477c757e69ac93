"""The service API: tickets, their workflow, signatures and rating, and the service KPIs, scoped like
the pages."""

from .alerts import AlertListApi, AlertReadApi
from .kpis import ServiceKpiApi
from .tickets import (
    TicketDetailApi,
    TicketFormSignatureApi,
    TicketListApi,
    TicketRatingApi,
    TicketRatingLinkApi,
    TicketReceiptSignatureApi,
    TicketTransitionApi,
)

__all__ = [
    "AlertListApi",
    "AlertReadApi",
    "ServiceKpiApi",
    "TicketDetailApi",
    "TicketFormSignatureApi",
    "TicketListApi",
    "TicketRatingApi",
    "TicketRatingLinkApi",
    "TicketReceiptSignatureApi",
    "TicketTransitionApi",
]
