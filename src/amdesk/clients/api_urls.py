"""Client API routes, included under /api/v1/ (names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("clients/", api.ClientListApi.as_view(), name="client-list"),
    # Before clients/<int:pk>/ only for clarity: "completeness" is no number, the two never meet.
    path("clients/completeness/", api.CompletenessRatesApi.as_view(), name="client-completeness-rates"),
    path("clients/export/", api.ClientExportApi.as_view(), name="client-export"),
    path("clients/import-template/", api.ClientImportTemplateApi.as_view(), name="client-import-template"),
    path("clients/<int:pk>/", api.ClientDetailApi.as_view(), name="client-detail"),
    path("clients/<int:pk>/reveal/", api.ClientRevealApi.as_view(), name="client-reveal"),
    path("clients/<int:pk>/handover/", api.ClientHandoverApi.as_view(), name="client-handover"),
    path("clients/<int:pk>/contacts/", api.ContactListApi.as_view(), name="client-contact-list"),
    path(
        "clients/<int:pk>/contacts/<int:contact_id>/",
        api.ContactDetailApi.as_view(),
        name="client-contact-detail",
    ),
    path("clients/<int:pk>/holdings/", api.HoldingListApi.as_view(), name="client-holdings"),
    path("clients/<int:pk>/aum/", api.AumApi.as_view(), name="client-aum"),
    path("clients/<int:pk>/credit-ratings/", api.CreditRatingListApi.as_view(), name="client-credit-ratings"),
    path("clients/<int:pk>/history/", api.ClientHistoryApi.as_view(), name="client-history"),
    path("clients/<int:pk>/completeness/", api.ClientCompletenessApi.as_view(), name="client-completeness"),
    path("client-imports/", api.ImportListApi.as_view(), name="client-import-list"),
    path("client-imports/<int:pk>/", api.ImportDetailApi.as_view(), name="client-import-detail"),
    path("client-imports/<int:pk>/check/", api.ImportCheckApi.as_view(), name="client-import-check"),
    path("client-imports/<int:pk>/apply/", api.ImportApplyApi.as_view(), name="client-import-apply"),
    path("client-imports/<int:pk>/report/", api.ImportReportApi.as_view(), name="client-import-report"),
]
