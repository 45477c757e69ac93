"""Pages: the indicator library and manual values (see urls.py)."""

from django.urls import path

from ..views import library

urlpatterns = [
    path("", library.library_view, name="library"),
    path("new/", library.indicator_create_view, name="indicator-create"),
    path("<int:pk>/", library.indicator_edit_view, name="indicator-edit"),
    path("manual-values/", library.manual_values_view, name="manual-values"),
]
