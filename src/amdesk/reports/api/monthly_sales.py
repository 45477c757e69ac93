"""GET /api/v1/reports/monthly-sales/due-dates/?year=2026: when each month's monthly client sales
analysis report falls due — the settings' day (the 5th) of the next month, postponed to the next
working day (节假日顺延); December's in January of the next year; `provisional` when the working-day
calendar has no official data for that year."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.planning.services.sales_reports import sales_report_due_dates

MIN_YEAR, MAX_YEAR = 2000, 2100


class DueDateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MonthlySalesDueDate"

    period = serializers.CharField(help_text="the month reported on, YYYY-MM")
    due = serializers.DateField(help_text="the day the report is due")
    provisional = serializers.BooleanField(help_text="the calendar has no official holiday data for it")


class MonthlySalesDueDatesApi(APIView):
    @extend_schema(
        tags=["reports"],
        summary="Due dates of the monthly client sales analysis reports of a year",
        parameters=[OpenApiParameter("year", int, required=True, description=f"{MIN_YEAR}–{MAX_YEAR}")],
        responses={200: DueDateSerializer(many=True), 400: OpenApiResponse(description="a malformed year")},
    )
    def get(self, request):
        raw = request.query_params.get("year", "")
        try:
            year = int(raw)
        except (TypeError, ValueError):
            year = None
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            # the one error format (core.errors): {"code": "invalid", "message", "fields": {"year": …}}
            raise serializers.ValidationError(
                {
                    "year": [
                        _("Give the year as four digits from %(min)d to %(max)d.")
                        % {"min": MIN_YEAR, "max": MAX_YEAR}
                    ]
                }
            )
        rows = [
            {"period": f"{row.period:%Y-%m}", "due": row.due, "provisional": row.provisional}
            for row in sales_report_due_dates(year)
        ]
        return Response(DueDateSerializer(rows, many=True).data)
