"""API routes of the planning capability (mounted under /api/v1/planning/, names in the "api" namespace)."""

from django.urls import path

from . import api
from .api.plans import PATHS, VIEWS
from .api.sales_reports import SalesReportDetailApi, SalesReportListApi, SalesReportTransitionApi

urlpatterns = [
    path("logs/", api.WorkLogListApi.as_view(), name="planning-log-list"),
    path("logs/<int:pk>/", api.WorkLogDetailApi.as_view(), name="planning-log-detail"),
    path("logs/<int:pk>/submit/", api.WorkLogSubmitApi.as_view(), name="planning-log-submit"),
    path("logs/<int:pk>/review/", api.WorkLogReviewApi.as_view(), name="planning-log-review"),
    path("logs/<int:pk>/return/", api.WorkLogReturnApi.as_view(), name="planning-log-return"),
    path("missing-logs/", api.MissingLogsApi.as_view(), name="planning-missing-logs"),
    path("performance/", api.PerformanceSheetApi.as_view(), name="planning-performance"),
    path("targets/", api.TargetTableApi.as_view(), name="planning-targets"),
    path("targets/team/", api.TeamTargetsApi.as_view(), name="planning-targets-team"),
    path("targets/split/", api.TargetSplitApi.as_view(), name="planning-targets-split"),
    path("targets/<int:pk>/submit/", api.TargetSubmitApi.as_view(), name="planning-targets-submit"),
    path("targets/<int:pk>/review/", api.TargetApproveApi.as_view(), name="planning-targets-review"),
    path("targets/<int:pk>/return/", api.TargetReturnApi.as_view(), name="planning-targets-return"),
    path("followups/", api.FollowUpListApi.as_view(), name="planning-followup-list"),
    path("followups/<int:pk>/", api.FollowUpDetailApi.as_view(), name="planning-followup-detail"),
    path("followups/actions/<int:pk>/done/", api.FollowUpDoneApi.as_view(), name="planning-followup-done"),
    path("board/", api.BoardApi.as_view(), name="planning-board"),
    path("sales-reports/", SalesReportListApi.as_view(), name="planning-sales-report-list"),
    path("sales-reports/<int:pk>/", SalesReportDetailApi.as_view(), name="planning-sales-report-detail"),
    path(
        "sales-reports/<int:pk>/transition/",
        SalesReportTransitionApi.as_view(),
        name="planning-sales-report-transition",
    ),
]

for code, views in VIEWS.items():
    prefix = PATHS[code]
    urlpatterns += [
        path(f"{prefix}/", views["list"].as_view(), name=f"planning-{prefix}-list"),
        path(f"{prefix}/<int:pk>/", views["detail"].as_view(), name=f"planning-{prefix}-detail"),
        *[
            path(f"{prefix}/<int:pk>/{step}/", views[step].as_view(), name=f"planning-{prefix}-{step}")
            for step in ("submit", "review", "return")
        ],
    ]
