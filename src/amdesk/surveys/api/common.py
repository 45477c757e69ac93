"""What the survey API views share: plain-string choices (no enum name clashes), references, pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from amdesk.core.pagination import KeysetPagination

TAG = "surveys"


def one_of(choices, note: str = "") -> str:
    values = ", ".join(f"`{value}`" for value in choices.values)
    return f"one of {values}" + (f"; {note}" if note else "")


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice validated as such, shown as a string in the schema ("state", "mode" name other enums)."""


class SurveyStaffRef(serializers.Serializer):
    class Meta:
        ref_name = "SurveyStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class SurveyClientRef(serializers.Serializer):
    class Meta:
        ref_name = "SurveyClientRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class NewestFirst(KeysetPagination):
    keys = ("-id",)


class RoundPagination(KeysetPagination):
    keys = ("-period_start", "-id")
