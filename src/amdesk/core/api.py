"""API of the core: the working-day calendar."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import calendar

TAG = "calendar"
EARLIEST, LATEST = date(1990, 1, 1), date(2199, 12, 31)


class WorkingDayApi(APIView):
    """Whether a day is a working day, and the first working day from it (the day itself when it is one)."""

    class FilterSerializer(serializers.Serializer):
        date = serializers.DateField(
            input_formats=["%Y-%m-%d"],
            error_messages={
                "required": gettext_lazy("Give the date as ?date=YYYY-MM-DD, e.g. ?date=2026-10-05."),
                "invalid": gettext_lazy("Not a date: write it as YYYY-MM-DD, e.g. 2026-10-05."),
            },
        )

        def validate_date(self, value):
            if not EARLIEST <= value <= LATEST:
                raise serializers.ValidationError(
                    _("The calendar answers from %(start)s to %(end)s.")
                    % {"start": EARLIEST.isoformat(), "end": LATEST.isoformat()}
                )
            return value

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "WorkingDay"

        date = serializers.DateField()
        is_working_day = serializers.BooleanField()
        next_working_day = serializers.DateField(help_text="the date itself when it is a working day")
        provisional = serializers.BooleanField(
            help_text="true when the year has no official holiday data yet: weekends only"
        )

    @extend_schema(
        tags=[TAG],
        summary="Is a day a working day",
        description="Official Chinese working days: public holidays and make-up working days 调休.",
        parameters=[OpenApiParameter("date", date, required=True, description="YYYY-MM-DD")],
        responses=OutputSerializer,
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(calendar.answer(query.validated_data["date"])).data)
