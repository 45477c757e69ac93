"""API of the reports app, under /api/v1/reports/."""

from django.urls import include, path

from .api.reports import ReportDataApi, ReportExportApi, ReportListApi

urlpatterns = [
    # Before the generic report routes, which take any code.
    path("monthly-sales/", include("amdesk.reports.api.monthly_sales_urls")),
    path("", ReportListApi.as_view(), name="report-list"),
    path("<slug:code>/", ReportDataApi.as_view(), name="report-data"),
    path("<slug:code>/export/", ReportExportApi.as_view(), name="report-export"),
]
