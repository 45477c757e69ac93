"""What the planning API views share: references, strict filters, keyset pages, stale writes."""

from rest_framework import serializers

from amdesk.clients.api.common import IF_MATCH, STALE, expected_version, stale_response
from amdesk.core.pagination import KeysetPagination
from amdesk.visits.api.common import PlainChoiceField, filter_parameters, filtered, one_of

from ..services import StaleDocument

__all__ = [
    "IF_MATCH",
    "STALE",
    "PlainChoiceField",
    "StaffRef",
    "StaleAware",
    "WorkLogPagination",
    "expected_version",
    "filter_parameters",
    "filtered",
    "one_of",
    "stale_response",
]


class StaffRef(serializers.Serializer):
    class Meta:
        ref_name = "PlanningStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    employee_no = serializers.CharField()


class StaleAware:
    """Writes answer 409 "stale" when the document or sheet changed since the caller read it."""

    def handle_exception(self, exc):
        if isinstance(exc, StaleDocument):
            return stale_response(exc)
        return super().handle_exception(exc)


class WorkLogPagination(KeysetPagination):
    keys = ("-day", "-id")  # the latest day first
