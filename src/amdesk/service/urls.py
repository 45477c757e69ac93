"""Pages of this capability, mounted under /service/."""

from django.urls import path

from . import views

app_name = "service"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("new/", views.ticket_new_view, name="new"),
    path("kpis/", views.kpis_view, name="kpis"),
    path("alerts/read/", views.alerts_read_view, name="alerts-read"),
    path("<int:pk>/", views.ticket_detail_view, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.ticket_act_view, name="act"),
    path("<int:pk>/rate/", views.ticket_rate_view, name="staff-rate"),
    path("<int:pk>/rating-link/", views.rating_link_view, name="rating-link"),
    path("<int:pk>/feedback/", views.feedback_view, name="feedback"),
    path("<int:pk>/feedback/print/", views.feedback_print_view, name="feedback-print"),
    path("<int:pk>/sign/", views.ticket_sign_view, name="sign"),
    # Public: the client rates the handling on a one-time link (no login; see views.public).
    path("rate/<str:token>/", views.rate_view, name="rate"),
]
