"""Planning pages, mounted under /planning/."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("log/", views.today_view, name="today"),
    path("log/<str:day>/", views.day_view, name="day"),
    path("logs/", views.log_list_view, name="logs"),
    path("logs/<int:pk>/", views.log_detail_view, name="log"),
    path("logs/<int:pk>/review/", views.log_review_view, name="review"),
    path("team/", views.team_view, name="team"),
    path("performance/", views.performance_home_view, name="performance"),
    path("performance/<str:month>/", views.performance_month_view, name="performance-month"),
    path("targets/", views.targets_home_view, name="targets"),
    path("targets/<str:month>/", views.targets_month_view, name="targets-month"),
    path("targets/<str:month>/team/", views.targets_team_view, name="targets-team"),
    path("board/", views.board_view, name="board"),
    path("week/arrangement/", views.plan_document_home_view, {"kind": "arrangement"}, name="arrangements"),
    path(
        "week/<str:period>/arrangement/",
        views.plan_document_view,
        {"kind": "arrangement"},
        name="arrangement",
    ),
    path("week/summary/", views.plan_document_home_view, {"kind": "weekly-summary"}, name="weekly-summaries"),
    path(
        "week/<str:period>/summary/",
        views.plan_document_view,
        {"kind": "weekly-summary"},
        name="weekly-summary",
    ),
    path("month/plan/", views.plan_document_home_view, {"kind": "monthly-plan"}, name="monthly-plans"),
    path("month/<str:period>/plan/", views.plan_document_view, {"kind": "monthly-plan"}, name="monthly-plan"),
    path(
        "month/summary/", views.plan_document_home_view, {"kind": "monthly-summary"}, name="monthly-summaries"
    ),
    path(
        "month/<str:period>/summary/",
        views.plan_document_view,
        {"kind": "monthly-summary"},
        name="monthly-summary",
    ),
    path("month/sales-report/", views.sales_report_home_view, name="sales-report-home"),
    path("month/<str:period>/sales-report/", views.sales_report_view, name="sales-report"),
    path("sales-reports/", views.sales_report_list_view, name="sales-reports"),
    path(
        "sales-reports/<int:pk>/download/", views.sales_report_download_view, name="sales-report-download"
    ),
    path("followups/", views.follow_up_list_view, name="followups"),
    path("followups/new/", views.follow_up_new_view, name="followup-new"),
    path("followups/<int:pk>/", views.follow_up_detail_view, name="followup"),
    path("followups/actions/<int:pk>/done/", views.follow_up_done_view, name="followup-done"),
]
