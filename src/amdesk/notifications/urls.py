from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("nav/", views.nav_view, name="nav"),
    path("bell/", views.bell_view, name="bell"),
    path("read-all/", views.notification_read_all_view, name="read-all"),
    path("<int:pk>/read/", views.notification_read_view, name="read"),
    path("<int:pk>/open/", views.notification_open_view, name="open"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("preferences/", views.preferences_view, name="preferences"),
]
