"""Visit pages, mounted under /visits/."""

from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visits_home_view, name="home"),
    path("records/", views.visit_list_view, name="list"),
    path("new/", views.visit_new_view, name="new"),
    path("<int:pk>/", views.visit_detail_view, name="detail"),
    path("<int:pk>/edit/", views.visit_edit_view, name="edit"),
    path("<int:pk>/sign/", views.visit_sign_view, name="sign"),
    path("client/<int:client_id>/", views.client_visits_view, name="client"),
    path("schedules/", views.schedule_list_view, name="schedules"),
    path("schedules/week/<str:week>/", views.schedule_week_view, name="schedule-week"),
    path("schedules/<int:pk>/", views.schedule_detail_view, name="schedule"),
    path("schedules/<int:pk>/entries/", views.schedule_entry_add_view, name="entry-add"),
    path("schedules/<int:pk>/entries/<int:entry_id>/", views.schedule_entry_change_view, name="entry-change"),
    path(
        "schedules/<int:pk>/entries/<int:entry_id>/remove/",
        views.schedule_entry_remove_view,
        name="entry-remove",
    ),
    path("schedules/<int:pk>/reroute/", views.schedule_reroute_view, name="reroute"),
    path("schedules/<int:pk>/repropose/", views.schedule_repropose_view, name="repropose"),
    path("schedules/<int:pk>/submit/", views.schedule_submit_view, name="submit"),
    path("schedules/<int:pk>/review/", views.schedule_review_view, name="review"),
    path("team/", views.team_view, name="team"),
    path("findings/", views.finding_list_view, name="findings"),
    path("findings/<int:pk>/close/", views.finding_close_view, name="finding-close"),
    path("inspections/", views.inspection_list_view, name="inspections"),
    path("inspections/<int:pk>/", views.inspection_detail_view, name="inspection"),
    path("inspections/new/<int:client_id>/", views.inspection_new_view, name="inspection-new"),
]
