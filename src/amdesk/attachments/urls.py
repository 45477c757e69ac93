"""Attachment pages, mounted under /attachments/."""

from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<slug:kind>/<int:target_id>/", views.panel_view, name="panel"),
    path("<int:pk>/download/", views.attachment_download_view, name="download"),
    path("<int:pk>/delete/", views.attachment_delete_view, name="delete"),
]
