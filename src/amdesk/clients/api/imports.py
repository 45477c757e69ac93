"""Client imports over the API: upload (multipart), read the job and its problems, import, report.

The same services as the page; a job is visible to the user who uploaded it only, and acts in
his scope. With `auto=true` the upload is checked (and, when it passes, imported) in the
background at once, for scripts that send a file in the template's layout.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.columns import BY_FIELD
from amdesk.clients.imports import services
from amdesk.clients.imports.reader import UnusableFile, describe_match
from amdesk.clients.imports.tasks import queue_apply, queue_check, queue_open
from amdesk.clients.models import ImportJob

PROBLEMS_RETURNED = 500


class ImportProblemSerializer(serializers.Serializer):
    row_no = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportMappingReasonSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True)
    how = serializers.ChoiceField(choices=["exact", "contains", "values", ""])
    synonym = serializers.CharField(allow_blank=True)
    matched = serializers.IntegerField()
    of = serializers.IntegerField()
    text = serializers.CharField()


class ImportJobOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ClientImport"

    id = serializers.IntegerField()
    file_name = serializers.CharField()
    file_sha256 = serializers.CharField()
    state = serializers.ChoiceField(choices=ImportJob.State.choices)
    header_row = serializers.IntegerField()
    headers = serializers.ListField(child=serializers.CharField())
    mapping = serializers.ListField(
        child=serializers.CharField(allow_blank=True), help_text="field per column"
    )
    skip_invalid = serializers.BooleanField()
    progress_percent = serializers.IntegerField()
    rows_read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    message = serializers.CharField()
    mapping_reasons = serializers.SerializerMethodField(
        help_text="per column, why it was mapped: how (exact, contains, values or empty), the synonym "
        "found, for values how many of the sampled cells matched, and the reason as text"
    )
    has_report = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField(
        help_text=f"the first {PROBLEMS_RETURNED}; the report has all"
    )

    @extend_schema_field(ImportMappingReasonSerializer(many=True))
    def get_mapping_reasons(self, job) -> list[dict]:
        if job.state != ImportJob.State.UPLOADED:
            return []
        return [{**reason, "text": describe_match(reason)} for reason in services.import_mapping_reasons(job)]

    def get_has_report(self, job) -> bool:
        return bool(job.report_path)

    def get_problems(self, job) -> list[dict]:
        problems = job.problems.all()[:PROBLEMS_RETURNED]
        return ImportProblemSerializer(problems, many=True).data


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    skip_invalid = serializers.BooleanField(required=False, default=False)
    auto = serializers.BooleanField(required=False, default=False, help_text="check and import at once")


class ImportMappingSerializer(serializers.Serializer):
    mapping = serializers.ListField(
        child=serializers.ChoiceField(choices=[("", "ignore"), *((f, f) for f in BY_FIELD)], allow_blank=True)
    )
    skip_invalid = serializers.BooleanField(required=False, default=False)


def _error(message: str, code: str = "invalid") -> Response:
    return Response({"code": code, "message": message, "fields": {}}, status=status.HTTP_400_BAD_REQUEST)


class ImportListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=ImportJobOutputSerializer(many=True))
    def get(self, request):
        jobs = ImportJob.objects.filter(created_by=request.user)[:50]
        return Response(ImportJobOutputSerializer(jobs, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportJobOutputSerializer}
    )
    def post(self, request):
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            # Stored only: the worker opens the file (its header, then with auto the rows) and
            # the job's state tells how far it got.
            job = services.import_receive(
                actor=request.user,
                upload=upload,
                file_name=upload.name,
                skip_invalid=data.validated_data["skip_invalid"],
                language=get_language() or "",
            )
        except UnusableFile as exc:
            return _error(str(exc), "unusable_file")
        queue_open(job, then_apply=data.validated_data["auto"])
        job.refresh_from_db()
        return Response(ImportJobOutputSerializer(job).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(APIView):
    @extend_schema(responses=ImportJobOutputSerializer)
    def get(self, request, pk: int):
        return Response(ImportJobOutputSerializer(services.access_import(request.user, pk)).data)


class ImportCheckApi(APIView):
    @extend_schema(request=ImportMappingSerializer, responses={202: ImportJobOutputSerializer})
    def post(self, request, pk: int):
        """Set the column mapping (as guessed, or as sent) and check every row in the background."""
        job = services.access_import(request.user, pk)
        data = ImportMappingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.import_set_mapping(
                actor=request.user,
                job=job,
                mapping=data.validated_data["mapping"] or job.mapping,
                skip_invalid=data.validated_data["skip_invalid"],
            )
        except ValidationError as exc:
            return _error(" ".join(exc.messages))
        queue_check(job)
        job.refresh_from_db()
        return Response(ImportJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportApplyApi(APIView):
    @extend_schema(request=None, responses={202: ImportJobOutputSerializer})
    def post(self, request, pk: int):
        """Import a checked job (a rejected one too, when it was checked with skip_invalid)."""
        job = services.access_import(request.user, pk)
        if not services.may_apply(job):
            return _error(str(job.get_state_display()), "not_ready")
        queue_apply(job)
        job.refresh_from_db()
        return Response(ImportJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportReportApi(APIView):
    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY
        }
    )
    def get(self, request, pk: int):
        """The rows with their reasons: the importer's cells as uploaded, masked for anyone else."""
        job = services.access_import_report(request.user, pk)
        path = services.import_report_download(viewer=request.user, job=job, request=request, channel="api")
        return FileResponse(open(path, "rb"), as_attachment=True, filename=f"import-{job.pk}-report.xlsx")
