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
    path("followups/", views.follow_up_list_view, name="followups"),
    path("followups/new/", views.follow_up_new_view, name="followup-new"),
    path("followups/<int:pk>/", views.follow_up_detail_view, name="followup"),
    path("followups/actions/<int:pk>/done/", views.follow_up_done_view, name="followup-done"),
]
