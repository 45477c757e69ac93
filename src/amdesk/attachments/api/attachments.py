"""Attachments over the API: a target's files, uploading one (multipart), one file's facts, the
audited download and the soft delete. The scope rules are the pages' (selectors.targets)."""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import AttachmentCategory, TargetKind
from ..selectors import access_attachment, may_delete, may_download, panel_rows, resolve_target
from ..services import attachment_delete, attachment_download, attachment_upload

TAG = "attachments"
MAX_ID = 2**63 - 1
TARGET_HELP = "what the file is attached to: " + ", ".join(f"`{value}`" for value in TargetKind.values)


class TargetSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AttachmentTargetInput"

    target = serializers.ChoiceField(choices=TargetKind.choices, help_text=TARGET_HELP)
    target_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="the client, visit, ticket or inspection id"
    )


class CategorySerializer(serializers.Serializer):
    class Meta:
        ref_name = "AttachmentCategory"

    code = serializers.CharField()
    name = serializers.CharField(source="label")
    personal_data = serializers.BooleanField(
        help_text="downloads need personal-data rights or client ownership"
    )


class AttachmentOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Attachment"

    id = serializers.IntegerField()
    target = serializers.CharField(source="target_kind", help_text=TARGET_HELP)
    target_id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    category = CategorySerializer()
    name = serializers.SerializerMethodField(
        help_text="the uploaded file's name; the category's name for a file the caller may not open "
        "(a name can carry personal data, e.g. an ID number)"
    )
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="bytes, as stored (images re-encoded)")
    sha256 = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    uploaded_by = serializers.CharField(source="uploaded_by.full_name")
    uploaded_at = serializers.DateTimeField()
    may_download = serializers.SerializerMethodField()
    may_delete = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(allow_null=True)

    def get_name(self, attachment) -> str:
        if self.context["rights"][attachment.pk][0]:
            return attachment.original_name
        return attachment.category.label

    def get_may_download(self, attachment) -> bool:
        return self.context["rights"][attachment.pk][0]

    def get_may_delete(self, attachment) -> bool:
        return self.context["rights"][attachment.pk][1]

    def get_download_url(self, attachment) -> str | None:
        if not self.context["rights"][attachment.pk][0]:
            return None
        return reverse("api:attachment-download", args=[attachment.pk])


def _output(request, attachment, target, *, code=status.HTTP_200_OK) -> Response:
    rights = {
        attachment.pk: (
            may_download(request.user, attachment, target),
            may_delete(request.user, attachment, target),
        )
    }
    return Response(AttachmentOutputSerializer(attachment, context={"rights": rights}).data, status=code)


class AttachmentListApi(APIView):
    """A target's files (newest first), and attaching one."""

    parser_classes = [MultiPartParser, FormParser]

    class UploadSerializer(TargetSerializer):
        class Meta:
            ref_name = "AttachmentUploadInput"

        file = serializers.FileField(
            allow_empty_file=True, help_text="JPEG, PNG, WebP or PDF, checked by content"
        )
        category = serializers.SlugRelatedField(
            slug_field="code",
            queryset=AttachmentCategory.objects.filter(is_active=True),
            help_text="a category code",
        )
        note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(
        tags=[TAG],
        summary="List a target's attachments",
        parameters=[
            OpenApiParameter(
                "target", str, enum=list(TargetKind.values), required=True, description=TARGET_HELP
            ),
            OpenApiParameter("target_id", OpenApiTypes.INT, required=True, description="the target's id"),
        ],
        responses=AttachmentOutputSerializer(many=True),
    )
    def get(self, request):
        params = TargetSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        target = resolve_target(
            request.user, params.validated_data["target"], params.validated_data["target_id"]
        )
        rows = panel_rows(request.user, target)
        rights = {row["attachment"].pk: (row["may_download"], row["may_delete"]) for row in rows}
        data = AttachmentOutputSerializer(
            [row["attachment"] for row in rows], many=True, context={"rights": rights}
        ).data
        return Response(data)

    @extend_schema(
        tags=[TAG],
        summary="Attach a file",
        description="Multipart. The type is decided by the file's content (its name's extension must agree); "
        "images are re-encoded without metadata. Needs write access to the target.",
        request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentOutputSerializer},
    )
    def post(self, request):
        data = self.UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = resolve_target(request.user, values["target"], values["target_id"])
        attachment = attachment_upload(
            actor=request.user,
            target=target,
            upload=values["file"],
            category=values["category"],
            note=values["note"],
            request=request,
        )
        return _output(request, attachment, target, code=status.HTTP_201_CREATED)


class AttachmentDetailApi(APIView):
    parser_classes = [JSONParser, FormParser]

    class DeleteSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AttachmentDeleteInput"

        reason = serializers.CharField(
            max_length=200, help_text="why the file is deleted (kept in the audit log)"
        )

    @extend_schema(tags=[TAG], summary="One attachment's facts", responses=AttachmentOutputSerializer)
    def get(self, request, pk: int):
        attachment, target = access_attachment(request.user, pk)
        return _output(request, attachment, target)

    @extend_schema(
        tags=[TAG],
        summary="Delete an attachment",
        description="Soft delete with a reason, by the uploader or a supervisor; the file is purged "
        "after the retention period.",
        request=DeleteSerializer,
        responses={204: None},
    )
    def delete(self, request, pk: int):
        attachment, target = access_attachment(request.user, pk)
        data = self.DeleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment_delete(
            actor=request.user,
            attachment=attachment,
            target=target,
            reason=data.validated_data["reason"],
            request=request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentDownloadApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Download an attachment",
        description="The stored file; every download is audited. Files of a personal-data category (ID "
        "copies) need personal-data rights or ownership of the client (403 otherwise, audited as denied).",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, pk: int):
        attachment, target = access_attachment(request.user, pk)
        handle = attachment_download(
            actor=request.user, attachment=attachment, target=target, request=request
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
