"""API: training sessions (scoped list, create with attendance) and credits per person (scoped)."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, IdField, date_param
from amdesk.orgs.models import OrgNode

from ..selectors import training as selectors
from ..services.training import attendance_record, training_session_save

TAG = "appraisal"
LIST_LIMIT = 500
MAX_DAYS = 366


def _range(request) -> tuple[date, date]:
    """start/end (YYYY-MM-DD), default this month; at most a year apart."""
    start, end = date_param(request, "start"), date_param(request, "end")
    first, last = selectors.month_bounds(timezone.localdate())
    start, end = start or first, end or last
    if end < start:
        raise serializers.ValidationError({"end": [_("The end comes before the start.")]})
    if (end - start).days > MAX_DAYS:
        raise serializers.ValidationError({"end": [_("Ask for at most a year at a time.")]})
    return start, end


RANGE_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="first day; default the month's first"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="last day; default the month's last (≤ 366 days)"),
]


class SessionOutput(serializers.Serializer):
    class Meta:
        ref_name = "TrainingSessionOutput"

    id = serializers.IntegerField()
    topic = serializers.CharField()
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    trainer = serializers.CharField()
    org_node = serializers.IntegerField(source="org_node_id")
    org_node_name = serializers.CharField(source="org_node.name")
    credits = serializers.DecimalField(max_digits=5, decimal_places=1)
    attended_count = serializers.IntegerField()


class TrainingSessionListApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TrainingSessionInput"

        topic = serializers.CharField(max_length=100)
        held_on = DateField()
        hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.5"))
        trainer = serializers.CharField(max_length=50)
        org_node = IdField(help_text="the team, outlet or branch the session is for (in the caller's scope)")
        credits = serializers.DecimalField(
            max_digits=5, decimal_places=1, min_value=Decimal(0), default=Decimal(1)
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
        attended = serializers.ListField(
            child=IdField(),
            required=False,
            max_length=1000,
            help_text="staff who attended (people under the node)",
        )

    @extend_schema(
        tags=[TAG],
        summary="List training sessions",
        parameters=RANGE_PARAMETERS,
        responses=SessionOutput(many=True),
    )
    def get(self, request):
        start, end = _range(request)
        sessions = selectors.training_sessions(viewer=request.user, start=start, end=end)[:LIST_LIMIT]
        return Response(SessionOutput(sessions, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Record a training session",
        description="The appraisal admin for any node, a supervisor or head for the nodes he leads.",
        request=InputSerializer,
        responses={201: SessionOutput},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        attended = values.pop("attended", None)
        values["org_node"] = get_object_or_404(OrgNode, pk=values["org_node"])
        from django.db import transaction

        with transaction.atomic():
            session = training_session_save(actor=request.user, request=request, **values)
            if attended:
                attendance_record(actor=request.user, session=session, attended_ids=attended, request=request)
        session = selectors.training_sessions(
            viewer=request.user, start=session.held_on, end=session.held_on
        ).get(pk=session.pk)
        return Response(SessionOutput(session).data, status=status.HTTP_201_CREATED)


class CreditOutput(serializers.Serializer):
    class Meta:
        ref_name = "TrainingCreditOutput"

    staff = serializers.IntegerField(source="staff_id")
    name = serializers.CharField(source="staff__full_name")
    employee_no = serializers.CharField(source="staff__employee_no")
    sessions = serializers.IntegerField()
    credits = serializers.DecimalField(max_digits=8, decimal_places=1)


class TrainingCreditsApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Training credits per person",
        parameters=RANGE_PARAMETERS,
        responses=CreditOutput(many=True),
    )
    def get(self, request):
        start, end = _range(request)
        return Response(
            CreditOutput(
                selectors.training_credits(viewer=request.user, start=start, end=end)[:LIST_LIMIT], many=True
            ).data
        )
