"""API routes of the visit capability (mounted under /api/v1/, names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("visits/", api.VisitListApi.as_view(), name="visit-list"),
    path("visits/<int:pk>/", api.VisitDetailApi.as_view(), name="visit-detail"),
    path("visits/<int:pk>/sign/", api.VisitSignApi.as_view(), name="visit-sign"),
    path("visit-schedules/", api.ScheduleListApi.as_view(), name="visit-schedule-list"),
    path("visit-schedules/<int:pk>/", api.ScheduleDetailApi.as_view(), name="visit-schedule-detail"),
    path(
        "visit-schedules/<int:pk>/entries/", api.ScheduleEntryListApi.as_view(), name="visit-schedule-entries"
    ),
    path(
        "visit-schedules/<int:pk>/entries/<int:entry_id>/",
        api.ScheduleEntryDetailApi.as_view(),
        name="visit-schedule-entry",
    ),
    path("visit-schedules/<int:pk>/submit/", api.ScheduleSubmitApi.as_view(), name="visit-schedule-submit"),
    path("visit-schedules/<int:pk>/review/", api.ScheduleReviewApi.as_view(), name="visit-schedule-review"),
    path("visit-findings/", api.FindingListApi.as_view(), name="visit-finding-list"),
    path("visit-findings/<int:pk>/close/", api.FindingCloseApi.as_view(), name="visit-finding-close"),
    path("loan-inspections/", api.InspectionListApi.as_view(), name="loan-inspection-list"),
    path("loan-inspections/<int:pk>/", api.InspectionDetailApi.as_view(), name="loan-inspection-detail"),
    path(
        "loan-inspections/<int:pk>/record/", api.InspectionRecordApi.as_view(), name="loan-inspection-record"
    ),
]
