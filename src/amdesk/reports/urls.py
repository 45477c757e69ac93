from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("<slug:code>/", views.report_view, name="detail"),
]
