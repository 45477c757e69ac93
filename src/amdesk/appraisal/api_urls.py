"""API of the appraisal capability, under /api/v1/appraisal/. Each part keeps its own module (api/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("amdesk.appraisal.api.library")),
    path("", include("amdesk.appraisal.api.schemes")),
    path("", include("amdesk.appraisal.api.periods")),
    path("", include("amdesk.appraisal.api.ladder")),
    path("", include("amdesk.appraisal.api.people")),
]
