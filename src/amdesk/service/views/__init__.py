from .feedback import feedback_print_view, feedback_view, ticket_sign_view
from .kpis import kpis_view
from .public import rate_view
from .tickets import (
    alerts_read_view,
    home_view,
    rating_link_view,
    ticket_act_view,
    ticket_detail_view,
    ticket_new_view,
    ticket_rate_view,
)

__all__ = [
    "alerts_read_view",
    "feedback_print_view",
    "feedback_view",
    "home_view",
    "kpis_view",
    "rate_view",
    "rating_link_view",
    "ticket_act_view",
    "ticket_detail_view",
    "ticket_new_view",
    "ticket_rate_view",
    "ticket_sign_view",
]
