"""Pages of the appraisal capability. Each part of it keeps its own URL module (urls_parts/)."""

from django.urls import include, path

from .views.home import home

app_name = "appraisal"

urlpatterns = [
    path("", home, name="home"),
    path("library/", include("amdesk.appraisal.urls_parts.library")),
    path("schemes/", include("amdesk.appraisal.urls_parts.schemes")),
    path("periods/", include("amdesk.appraisal.urls_parts.periods")),
    path("ladder/", include("amdesk.appraisal.urls_parts.ladder")),
    path("people/", include("amdesk.appraisal.urls_parts.people")),
]
