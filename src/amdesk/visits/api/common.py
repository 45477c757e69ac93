"""What the visit API views share: references to people and clients, strict filters, stale writes."""

from django.http import Http404
from rest_framework import serializers

from amdesk.clients.api.common import IF_MATCH, STALE, expected_version, stale_response
from amdesk.core.params import ChoiceField, filter_parameters, filtered
from amdesk.orgs.access import records_q, scoped

from ..models import ScheduleEntry

__all__ = [
    "IF_MATCH",
    "STALE",
    "ClientRef",
    "PlainChoiceField",
    "StaffRef",
    "access_entry",
    "expected_version",
    "filter_parameters",
    "filtered",
    "one_of",
    "stale_response",
]


def one_of(choices, note: str = "") -> str:
    """A field's help text naming its values, for outputs (plain strings, as in the client API)."""
    values = ", ".join(f"`{value}`" for value in choices.values)
    return f"one of {values}" + (f"; {note}" if note else "")


# A choice published as an enum of its values (core.schema); the name is kept for its users.
PlainChoiceField = ChoiceField


class ClientRef(serializers.Serializer):
    class Meta:
        ref_name = "VisitClientRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffRef(serializers.Serializer):
    class Meta:
        ref_name = "VisitStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    employee_no = serializers.CharField()


def access_entry(viewer, entry_id) -> ScheduleEntry:
    """One schedule entry on a schedule the viewer may see; "not found" for missing and forbidden.

    (The selectors gate schedules, not single entries; this applies the same records_q scope through
    the entry's schedule.)
    """
    entry = (
        scoped(
            ScheduleEntry.objects.all(),
            records_q(viewer, owner_field="schedule__owner", node_field="schedule__org_node"),
        )
        .select_related("schedule")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such schedule entry.")
    return entry
