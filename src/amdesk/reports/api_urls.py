"""API of the reports app, under /api/v1/reports/."""

from django.urls import include, path

urlpatterns = [
    # Before the generic report routes, which take any code.
    path("monthly-sales/", include("amdesk.reports.api.monthly_sales_urls")),
]
