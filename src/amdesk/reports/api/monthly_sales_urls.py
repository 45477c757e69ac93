"""/api/v1/reports/monthly-sales/…: the monthly client sales analysis report's own endpoints."""

from django.urls import path  # noqa: F401

urlpatterns = []
