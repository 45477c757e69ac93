"""API of the notifications app, under /api/v1/notifications/."""

from django.urls import path  # noqa: F401

urlpatterns = []
