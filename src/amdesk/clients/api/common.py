"""What the client API views share: the version a write is based on, and the 409 of a stale write."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from amdesk.core.errors import error_body

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="the version read (or send `version` in the body)"
)
STALE = OpenApiResponse(
    inline_serializer(
        "StaleEdit",
        {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(),
        },
    ),
    description='someone saved after the version you read: {"code": "stale"}',
)


def expected_version(request, *, required: bool = True) -> int | None:
    """The version the caller read: the If-Match header or `version` in the body."""
    raw = request.headers.get("If-Match")
    if raw is None and hasattr(request.data, "get"):
        raw = request.data.get("version")
    if raw is None or raw == "":
        if not required:
            return None
        raise serializers.ValidationError(
            {"version": [_("Send the version you read (If-Match or version).")]}
        )
    try:
        return int(str(raw).strip().removeprefix("W/").strip('"'))
    except ValueError as exc:
        raise serializers.ValidationError({"version": [_("The version is a whole number.")]}) from exc


def stale_response(exc: Exception) -> Response:
    return Response(error_body("stale", str(exc)), status=status.HTTP_409_CONFLICT)


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)
