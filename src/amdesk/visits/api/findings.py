"""The supervisor's queue of things seen on visits, and recording what was done about one."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateTimeField

from ..selectors import access_finding, findings_for
from ..services import finding_close
from .common import ClientRef, StaffRef
from .pagination import FindingPagination

TAG = "visit findings"


class FindingOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "VisitFinding"

    id = serializers.IntegerField()
    visit = serializers.IntegerField(source="visit_id")
    client = ClientRef()
    owner = StaffRef(help_text="the account manager who made the visit")
    kind = serializers.CharField(
        help_text="`market_anomaly` for the anomalies written down, else the anomaly kind's code"
    )
    kind_label = serializers.CharField(help_text="the kind's name")
    note = serializers.CharField(help_text="what was seen")
    raised_at = DateTimeField()
    is_open = serializers.BooleanField()
    outcome = serializers.CharField(
        source="outcome.code", allow_null=True, help_text="the outcome's code; null while open"
    )
    outcome_label = serializers.CharField(
        source="outcome.name", allow_null=True, help_text="the outcome's name; null while open"
    )
    outcome_note = serializers.CharField()
    closed_by = StaffRef(allow_null=True)
    closed_at = DateTimeField(allow_null=True)


class FindingListApi(APIView):
    """Findings of the visits in the caller's scope, the latest first."""

    pagination_class = FindingPagination

    class FilterSerializer(serializers.Serializer):
        open = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        tags=[TAG],
        summary="List visit findings",
        parameters=[OpenApiParameter("open", bool, description="only those not acted on yet")],
        responses=FindingOutputSerializer(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        findings = findings_for(request.user, open_only=filters.validated_data["open"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(findings.select_related("closed_by"), request, view=self)
        return paginator.get_paginated_response(FindingOutputSerializer(page, many=True).data)


class FindingCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "VisitFindingCloseInput"

        outcome = serializers.SlugField(
            max_length=40, help_text="the code of one of the industry's active finding outcomes"
        )
        note = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=200,
            help_text="required for an outcome that needs a note (e.g. a downgrade request)",
        )

    @extend_schema(
        tags=[TAG],
        summary="Record what was done about a finding",
        description="For supervisors; a finding is closed once.",
        request=InputSerializer,
        responses=FindingOutputSerializer,
    )
    def post(self, request, pk: int):
        finding = access_finding(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = finding_close(actor=request.user, finding=finding, **data.validated_data, request=request)
        return Response(FindingOutputSerializer(finding).data)
