"""The monthly client sales analysis report 客户月度销售情况分析报告 (/api/v1/planning/sales-reports/):
the list in the caller's scope (keyset pages), the caller writes his own report on a month (POST),
one report with its computed sections (GET), an update on the version read (PATCH; 409 when stale),
and a workflow step (submit, review, return)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateTimeField

from ..selectors.sales_report import (
    access_sales_report,
    report_figures,
    sales_report_sections,
    sales_reports_for,
)
from ..services import available_transitions, document_transition
from ..services.documents import due_provisional, shown_due_at
from ..services.sales_reports import sales_report_save
from ..workflow import TRANSITIONS
from .common import IF_MATCH, STALE, StaffRef, StaleAware, expected_version
from .performance import _month

TAG = "planning"


class SalesReportPagination(KeysetPagination):
    keys = ("-month", "-id")


class SalesReportEventSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SalesReportEvent"

    at = DateTimeField()
    actor = serializers.CharField(source="actor.full_name")
    action = serializers.CharField()
    label = serializers.CharField()
    comment = serializers.CharField()


class ForecastAdjustment(serializers.Serializer):
    class Meta:
        ref_name = "SalesReportForecastAdjustment"

    value = serializers.CharField(allow_blank=True, help_text="the adjusted value; empty keeps the system's")
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="required when adjusted"
    )


class SalesReportOutput(serializers.Serializer):
    class Meta:
        ref_name = "SalesReport"

    id = serializers.IntegerField()
    owner = StaffRef()
    month = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    due_at = serializers.SerializerMethodField()
    due_provisional = serializers.SerializerMethodField()
    submitted_at = DateTimeField(allow_null=True)
    late = serializers.BooleanField(source="submitted_late")
    reviewer = StaffRef(allow_null=True)
    reviewed_at = DateTimeField(allow_null=True)
    comment = serializers.CharField()
    version = serializers.IntegerField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_month(self, report) -> str:
        return f"{report.month:%Y-%m}"

    @extend_schema_field(DateTimeField())
    def get_due_at(self, report):
        return DateTimeField().to_representation(shown_due_at(report))

    def get_due_provisional(self, report) -> bool:
        return due_provisional(shown_due_at(report))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, report):
        return [t.code for t in available_transitions(self.context["user"], report, in_scope=True)]


class SalesReportDetailOutput(SalesReportOutput):
    class Meta:
        ref_name = "SalesReportDetail"

    problems = serializers.CharField()
    opinions = serializers.CharField()
    outlook = serializers.CharField()
    forecast = serializers.DictField(child=ForecastAdjustment(), help_text="adjustments by indicator id")
    frozen = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def get_frozen(self, report) -> bool:
        return report.state in ("submitted", "reviewed") and bool(report.figures)

    def _figures(self, report):
        if "_figures" not in self.context:
            self.context["_figures"] = report_figures(report, owner=report.owner, month=report.month)
        return self.context["_figures"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_figures(self, report):
        """The computed parts (JSON): frozen while submitted or reviewed, else live."""
        return self._figures(report)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_sections(self, report):
        """The sections a) – d) as tables and charts (titles in the caller's language)."""
        return sales_report_sections(self._figures(report), report)

    @extend_schema_field(SalesReportEventSerializer(many=True))
    def get_events(self, report):
        return SalesReportEventSerializer(report.events.select_related("actor"), many=True).data


class SalesReportInput(serializers.Serializer):
    class Meta:
        ref_name = "SalesReportInput"

    problems = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    opinions = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    outlook = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    forecast = serializers.DictField(
        child=ForecastAdjustment(), required=False, help_text="adjustments by indicator id (replaces them)"
    )
    version = serializers.IntegerField(required=False, help_text="or If-Match")


class SalesReportCreateInput(SalesReportInput):
    class Meta:
        ref_name = "SalesReportCreateInput"

    month = serializers.CharField(help_text="the month reported on, YYYY-MM (an ended month)")


class SalesReportStepInput(serializers.Serializer):
    class Meta:
        ref_name = "SalesReportStepInput"

    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="required to return"
    )
    version = serializers.IntegerField(required=False, help_text="or If-Match")


def _detail(request, report, *, status_code=status.HTTP_200_OK) -> Response:
    return Response(SalesReportDetailOutput(report, context={"user": request.user}).data, status=status_code)


def _data(validated: dict) -> dict:
    return {key: value for key, value in validated.items() if key not in ("version", "month")}


class SalesReportListApi(StaleAware, APIView):
    """Reports in the caller's scope, the latest month first; the caller writes his own."""

    pagination_class = SalesReportPagination

    @extend_schema(
        tags=[TAG],
        summary="List monthly sales analysis reports",
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM: only this month"),
            OpenApiParameter("owner", int, description="only this account manager's"),
            OpenApiParameter("state", str, description="draft, submitted, reviewed or returned"),
        ],
        responses=SalesReportOutput(many=True),
    )
    def get(self, request):
        reports = sales_reports_for(request.user)
        params = request.query_params
        if params.get("month"):
            reports = reports.filter(month=_month(params["month"]))
        if params.get("owner"):
            try:
                reports = reports.filter(owner_id=int(params["owner"]))
            except ValueError:
                raise serializers.ValidationError({"owner": [_("Enter a whole number.")]}) from None
        if params.get("state"):
            reports = reports.filter(state=params["state"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(
            SalesReportOutput(page, many=True, context={"user": request.user}).data
        )

    @extend_schema(
        tags=[TAG],
        summary="Write the caller's monthly sales analysis report on a month",
        request=SalesReportCreateInput,
        responses={200: SalesReportDetailOutput, 201: SalesReportDetailOutput, 409: STALE},
        parameters=[IF_MATCH],
    )
    def post(self, request):
        data = SalesReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = expected_version(request, required=False)
        report, created = sales_report_save(
            actor=request.user,
            month=_month(data.validated_data["month"]),
            data=_data(data.validated_data),
            expected_version=version,
            request=request,
        )
        return _detail(
            request, report, status_code=status.HTTP_201_CREATED if created and report.version == 1 else 200
        )


class SalesReportDetailApi(StaleAware, APIView):
    @extend_schema(tags=[TAG], summary="One monthly sales analysis report", responses=SalesReportDetailOutput)
    def get(self, request, pk: int):
        return _detail(request, access_sales_report(request.user, pk))

    @extend_schema(
        tags=[TAG],
        summary="Change the caller's own report (on the version read)",
        request=SalesReportInput,
        responses={200: SalesReportDetailOutput, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        report = access_sales_report(request.user, pk)
        if report.owner_id != request.user.pk:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Only the account manager writes his own report."))
        data = SalesReportInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report, _changed = sales_report_save(
            actor=request.user,
            month=report.month,
            data=_data(data.validated_data),
            expected_version=expected_version(request),
            request=request,
        )
        return _detail(request, report)


class SalesReportTransitionApi(StaleAware, APIView):
    @extend_schema(
        tags=[TAG],
        summary="Take a workflow step on a monthly sales analysis report",
        request=SalesReportStepInput,
        responses={200: SalesReportDetailOutput, 409: STALE},
        parameters=[IF_MATCH],
    )
    def post(self, request, pk: int):
        report = access_sales_report(request.user, pk)
        data = SalesReportStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = document_transition(
            actor=request.user,
            document=report,
            action=data.validated_data["action"],
            version=expected_version(request, required=False),
            comment=data.validated_data["comment"],
            request=request,
        )
        return _detail(request, report)
