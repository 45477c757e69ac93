"""Service KPIs per account manager, team or branch, for a period, with the targets alongside."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField

from ..selectors import GROUPS, service_kpis
from .common import TAG


class KpiRowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceKpiRow"

    key = serializers.IntegerField(allow_null=True, help_text="staff id, or org node id")
    label = serializers.CharField()
    received = serializers.IntegerField()
    first_feedback_due = serializers.IntegerField(help_text="tickets whose first feedback is given or due")
    first_feedback_timely = serializers.IntegerField()
    first_feedback_rate = serializers.FloatField(allow_null=True, help_text="percent")
    handled = serializers.IntegerField(help_text="resolved, confirmed or closed")
    handling_rate = serializers.FloatField(allow_null=True, help_text="percent")
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="percent")
    valid_complaints = serializers.IntegerField()
    repeat_complaints = serializers.IntegerField()
    first_feedback_breaches = serializers.IntegerField()
    resolution_breaches = serializers.IntegerField()
    breaches = serializers.IntegerField()


class TargetsSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceKpiTargets"

    first_feedback = serializers.IntegerField(help_text="timely first feedback target, percent")
    handling = serializers.IntegerField(help_text="handling rate target, percent")
    satisfaction = serializers.IntegerField(help_text="satisfaction rate target, percent")
    satisfied_from = serializers.IntegerField(help_text="the lowest score counted as satisfied")


class KpiReportSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceKpiReport"

    group_by = serializers.CharField()
    start = DateField()
    end = DateField()
    targets = TargetsSerializer()
    rows = KpiRowSerializer(many=True)
    total = KpiRowSerializer()


class ServiceKpiApi(APIView):
    class QuerySerializer(serializers.Serializer):
        start = DateField(required=False)
        end = DateField(required=False)
        group_by = serializers.ChoiceField(choices=GROUPS, required=False, default="owner")

    @extend_schema(
        tags=[TAG],
        summary="Service KPIs",
        description="Over the tickets received in the period (local dates, both ends included; default: "
        "this month so far) that the caller may see, grouped per account manager (`owner`), team or branch.",
        parameters=[
            OpenApiParameter("start", date),
            OpenApiParameter("end", date),
            OpenApiParameter("group_by", str, enum=list(GROUPS)),
        ],
        responses=KpiReportSerializer,
    )
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        start = query.validated_data.get("start") or today.replace(day=1)
        end = query.validated_data.get("end") or today
        if end < start:
            raise serializers.ValidationError({"end": [_("The end comes after the start.")]})
        report = service_kpis(
            viewer=request.user, start=start, end=end, group_by=query.validated_data["group_by"]
        )
        return Response(KpiReportSerializer(report).data)
