from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.desk_view, name="home"),
    path("desk/charts/<slug:key>.xlsx", views.chart_export, name="chart-export"),
    path("desk/people/<int:staff_id>/", views.person_view, name="person"),
    path(
        "desk/people/<int:staff_id>/charts/<slug:key>.xlsx",
        views.person_chart_export,
        name="person-chart-export",
    ),
]
