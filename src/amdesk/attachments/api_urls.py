"""API routes of the attachments capability (mounted under /api/v1/, names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("attachments/", api.AttachmentListApi.as_view(), name="attachment-list"),
    path("attachments/<int:pk>/", api.AttachmentDetailApi.as_view(), name="attachment-detail"),
    path("attachments/<int:pk>/download/", api.AttachmentDownloadApi.as_view(), name="attachment-download"),
]
