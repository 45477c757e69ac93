from django.urls import path

from . import views

# Included under /clients/import/ in the "clients" namespace (clients/urls.py).
urlpatterns = [
    path("", views.import_upload_view, name="import"),
    path("<int:pk>/", views.import_detail_view, name="import-detail"),
    path("<int:pk>/apply/", views.import_apply_view, name="import-apply"),
    path("<int:pk>/progress/", views.import_progress_view, name="import-progress"),
    path("<int:pk>/report/", views.import_report_view, name="import-report"),
]
