"""API routes of the service capability (mounted under /api/v1/, names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("tickets/", api.TicketListApi.as_view(), name="ticket-list"),
    path("tickets/<int:pk>/", api.TicketDetailApi.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/transitions/", api.TicketTransitionApi.as_view(), name="ticket-transitions"),
    path("tickets/<int:pk>/rating/", api.TicketRatingApi.as_view(), name="ticket-rating"),
    path("tickets/<int:pk>/rating-links/", api.TicketRatingLinkApi.as_view(), name="ticket-rating-links"),
    path(
        "tickets/<int:pk>/form-signature/",
        api.TicketFormSignatureApi.as_view(),
        name="ticket-form-signature",
    ),
    path(
        "tickets/<int:pk>/receipt-signature/",
        api.TicketReceiptSignatureApi.as_view(),
        name="ticket-receipt-signature",
    ),
    path("service-alerts/", api.AlertListApi.as_view(), name="service-alert-list"),
    path("service-alerts/read/", api.AlertReadApi.as_view(), name="service-alert-read"),
    path("service-kpis/", api.ServiceKpiApi.as_view(), name="service-kpis"),
]
