"""/api/v1/reports/monthly-sales/…: the monthly client sales analysis report's own endpoints."""

from django.urls import path

from .monthly_sales import MonthlySalesDueDatesApi

urlpatterns = [
    path("due-dates/", MonthlySalesDueDatesApi.as_view(), name="reports-monthly-sales-due-dates"),
]
