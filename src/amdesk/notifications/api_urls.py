"""API of the notifications app, under /api/v1/notifications/."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.NotificationListApi.as_view(), name="notification-list"),
    path("read/", api.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("<int:pk>/read/", api.NotificationReadApi.as_view(), name="notification-read"),
    path("preferences/", api.PreferencesApi.as_view(), name="notification-preferences"),
    path("inbox/", api.InboxApi.as_view(), name="notification-inbox"),
]
