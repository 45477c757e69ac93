"""The caller's own service alerts (deadline warnings, escalations to him) on tickets he may still
see, and marking them read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateTimeField, IdField, bool_param, choice_of

from ..models import AlertKind, DeadlineKind
from ..selectors import visible_alerts
from ..services import alert_mark_read
from .common import TAG


class AlertPagination(KeysetPagination):
    keys = ("-created_at", "-id")


class AlertOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceAlert"

    class TicketBrief(serializers.Serializer):
        class Meta:
            ref_name = "ServiceAlertTicket"

        id = serializers.IntegerField()
        number = serializers.CharField()
        subject = serializers.CharField()

    id = serializers.IntegerField()
    ticket = TicketBrief()
    alert_kind = choice_of(AlertKind)
    deadline = choice_of(DeadlineKind)
    due_at = DateTimeField()
    created_at = DateTimeField()
    read_at = DateTimeField(allow_null=True)


class AlertListApi(APIView):
    pagination_class = AlertPagination

    @extend_schema(
        tags=[TAG],
        summary="My service alerts",
        description="Alerts raised for the caller, on tickets still in his scope (a ticket reassigned "
        "away takes its alerts with it).",
        parameters=[OpenApiParameter("unread", bool, description="only those not read yet")],
        responses=AlertOutputSerializer(many=True),
    )
    def get(self, request):
        unread = bool(bool_param(request, "unread"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            visible_alerts(request.user, unread_only=unread), request, view=self
        )
        return paginator.get_paginated_response(AlertOutputSerializer(page, many=True).data)


class AlertReadApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ServiceAlertReadInput"

        ids = serializers.ListField(
            child=IdField(),
            required=False,
            help_text="the alerts to mark; all unread when left out",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ServiceAlertReadOutput"

        marked = serializers.IntegerField()

    @extend_schema(
        tags=[TAG], summary="Mark my service alerts read", request=InputSerializer, responses=OutputSerializer
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = alert_mark_read(actor=request.user, alert_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})
