"""Pages: schemes (see urls.py)."""

from django.urls import path

from ..views import schemes as views

urlpatterns = [
    path("", views.scheme_list_view, name="schemes"),
    path("new/", views.scheme_create_view, name="scheme-create"),
    path("<int:pk>/", views.scheme_detail_view, name="scheme-detail"),
    path("<int:pk>/edit/", views.scheme_edit_view, name="scheme-edit"),
    path("<int:pk>/edit/matrix/", views.scheme_matrix_preview_view, name="scheme-matrix-preview"),
]
