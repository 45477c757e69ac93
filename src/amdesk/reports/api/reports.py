"""/api/v1/reports/: the reports the caller may read, one report's data, and its export."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from ..framework.render import report_json
from ..selectors import available_reports, report_for
from ..services import report_export
from ..services.exports import FORMATS

TAG = "reports"

PERIOD = OpenApiParameter(
    "period",
    str,
    description="2026-11 (month), 2026-Q4 (quarter) or 2026 (year), as the report covers; "
    "default: the last complete period",
)
NODE = OpenApiParameter("node", int, description="an org node id in the caller's scope (roll-up)")


class ReportInfoSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ReportInfo"

    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    group = serializers.CharField()
    period_kinds = serializers.ListField(child=serializers.CharField(), help_text="month, quarter or year")


def _report(request, code):
    try:
        return report_for(
            request.user,
            code,
            period=request.query_params.get("period"),
            node=request.query_params.get("node"),
        )
    except ValueError as error:
        raise serializers.ValidationError({"period": [str(error)]}) from None


class ReportListApi(APIView):
    @extend_schema(
        tags=[TAG], summary="Reports available to the caller", responses=ReportInfoSerializer(many=True)
    )
    def get(self, request):
        reports = sorted(available_reports(request.user), key=lambda r: r.code)
        data = [
            {
                "code": r.code,
                "title": str(r.title),
                "description": str(r.description),
                "group": str(r.group),
                "period_kinds": list(r.period_kinds),
            }
            for r in reports
        ]
        return Response(ReportInfoSerializer(data, many=True).data)


class ReportDataApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="One report's data",
        description="The report in the caller's scope: title, subtitle, period, and sections of blocks "
        "(`type` table: columns with key/label/kind and rows by column key, subtotal rows flagged, totals; "
        "`type` chart: categories and series; `type` text: body and items). 404 for a report the caller "
        "may not read or a node outside his scope.",
        parameters=[PERIOD, NODE],
        responses=inline_serializer(
            "ReportData",
            {
                "code": serializers.CharField(),
                "period": serializers.CharField(),
                "node": serializers.IntegerField(allow_null=True),
                "title": serializers.CharField(),
                "subtitle": serializers.CharField(),
                "period_label": serializers.CharField(),
                "notes": serializers.ListField(child=serializers.CharField()),
                "sections": serializers.ListField(child=serializers.JSONField()),
            },
        ),
    )
    def get(self, request, code: str):
        report = _report(request, code)
        return Response(
            {
                "code": report.code,
                "period": report.period.code,
                "node": report.node.pk if report.node else None,
                **report_json(report.gather()),
            }
        )


class FileNegotiation(DefaultContentNegotiation):
    """`?format=` names the file's format here, not DRF's response format: errors answer in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportExportApi(APIView):
    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=[TAG],
        summary="Export one report (.xlsx or PDF)",
        description="The same data as the report's JSON, as a file; every export is audited.",
        parameters=[
            PERIOD,
            NODE,
            OpenApiParameter("format", str, enum=list(FORMATS), description="xlsx (default) or pdf"),
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, code: str):
        fmt = request.query_params.get("format") or "xlsx"
        if fmt not in FORMATS:
            raise serializers.ValidationError({"format": [f"one of {', '.join(FORMATS)}"]})
        report = _report(request, code)
        exported = report_export(actor=request.user, report=report, fmt=fmt, request=request, via="api")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
