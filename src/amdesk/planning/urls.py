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
]
