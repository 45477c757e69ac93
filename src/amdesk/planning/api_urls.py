"""API routes of the planning capability (mounted under /api/v1/planning/, names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("logs/", api.WorkLogListApi.as_view(), name="planning-log-list"),
    path("logs/<int:pk>/", api.WorkLogDetailApi.as_view(), name="planning-log-detail"),
    path("logs/<int:pk>/submit/", api.WorkLogSubmitApi.as_view(), name="planning-log-submit"),
    path("logs/<int:pk>/review/", api.WorkLogReviewApi.as_view(), name="planning-log-review"),
    path("logs/<int:pk>/return/", api.WorkLogReturnApi.as_view(), name="planning-log-return"),
    path("missing-logs/", api.MissingLogsApi.as_view(), name="planning-missing-logs"),
    path("performance/", api.PerformanceSheetApi.as_view(), name="planning-performance"),
]
