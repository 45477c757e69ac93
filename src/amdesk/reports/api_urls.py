"""API of the reports app, under /api/v1/reports/."""

from django.urls import path  # noqa: F401

urlpatterns = []
