"""Client files: the list as .xlsx or .csv, and the import template."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from amdesk.clients.exporting import XLSX_CONTENT_TYPE, clients_export, export_response
from amdesk.clients.import_template import client_import_template, template_response

from .clients import FILTER_PARAMETERS

FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["xlsx", "csv"], default="xlsx", description="the file format (CSV: UTF-8 with BOM)"
)


class FileApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # `format` names the file here, not a DRF renderer (which would answer 404 for "xlsx");
        # the file is a plain Django response and errors are JSON like everywhere else.
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class ClientExportApi(FileApi):
    """The clients the list returns for the same filters, all of them (no pages), masked as in the list.

    The .xlsx is written whole, then sent; the .csv streams. Each export is in the audit log.
    """

    @extend_schema(
        parameters=[FORMAT_PARAMETER, *FILTER_PARAMETERS],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the .xlsx file"),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="the .csv file"),
        },
    )
    def get(self, request):
        export = clients_export(
            actor=request.user,
            filters=request.query_params,
            fmt=request.query_params.get("format", "xlsx"),
            request=request,
            strict=True,
            channel="api",
            xlsx_limit=settings.AMDESK_EXPORT_XLSX_MAX_ROWS,
        )
        return export_response(export)


class ClientImportTemplateApi(FileApi):
    """The client import template (.xlsx): headers, an example row, drop-down lists and instructions."""

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the template")}
    )
    def get(self, request):
        filename, content = client_import_template(actor=request.user, request=request, channel="api")
        return template_response(filename, content)
