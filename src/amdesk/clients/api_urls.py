"""Client API routes, included under /api/v1/ (names in the "api" namespace)."""

from django.urls import path

from .api import ClientDetailApi, ClientHandoverApi, ClientListApi, ClientRevealApi

urlpatterns = [
    path("clients/", ClientListApi.as_view(), name="client-list"),
    path("clients/<int:pk>/", ClientDetailApi.as_view(), name="client-detail"),
    path("clients/<int:pk>/reveal/", ClientRevealApi.as_view(), name="client-reveal"),
    path("clients/<int:pk>/handover/", ClientHandoverApi.as_view(), name="client-handover"),
]
