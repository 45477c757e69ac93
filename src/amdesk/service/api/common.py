"""What the service API views share: references, filters, pagination, the ticket's output."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateTimeField, IdFilter, choice_of
from amdesk.visits.api.common import PlainChoiceField, filter_parameters, filtered, one_of

from ..models import DeadlineKind, SlaStatus, Ticket, TicketType
from ..selectors import filter_tickets
from ..workflow import action_label

TAG = "service"

__all__ = [
    "TAG",
    "PlainChoiceField",
    "TicketDetailOutputSerializer",
    "TicketFilter",
    "TicketOutputSerializer",
    "TicketPagination",
    "filter_parameters",
    "filtered",
    "one_of",
]


class TicketPagination(KeysetPagination):
    keys = ("-received_at", "-id")  # the newest first, as Ticket.Meta.ordering


class TicketFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State (or “open” for any open state)"),
        choices=[("open", pgettext_lazy("tickets", "Open")), *Ticket.State.choices],
        method="by_state",
    )
    ticket_type = django_filters.ChoiceFilter(label=_("Ticket type"), choices=TicketType.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Ticket.Priority.choices)
    sla = django_filters.ChoiceFilter(
        label=_("SLA status"), choices=SlaStatus.choices, field_name="sla_status"
    )
    owner = IdFilter(label=_("Responsible account manager (staff id)"), field_name="owner")
    client = IdFilter(label=_("Client id"), field_name="client")

    class Meta:
        model = Ticket
        fields = ["state", "ticket_type", "priority", "sla", "owner", "client"]

    def by_state(self, queryset, name, value):
        return filter_tickets(queryset, state=value)


class RefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffRefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ServiceStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class CountdownSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TicketCountdown"

    deadline = choice_of(DeadlineKind, "the deadline that runs now")
    due = DateTimeField()
    sla_status = choice_of(SlaStatus, source="status")
    minutes_left = serializers.IntegerField(
        source="minutes", allow_null=True, help_text="negative: overdue by; null when met or missed"
    )


class TicketOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Ticket"

    id = serializers.IntegerField()
    number = serializers.CharField()
    version = serializers.IntegerField()
    client = RefSerializer()
    owner = StaffRefSerializer(help_text="the responsible account manager")
    org_node = RefSerializer()
    ticket_type = choice_of(TicketType)
    channel = choice_of(Ticket.Channel)
    priority = choice_of(Ticket.Priority)
    ticket_state = choice_of(Ticket.State, source="state")
    subject = serializers.CharField()
    visit = serializers.IntegerField(
        source="visit_id", allow_null=True, help_text="the visit it was opened from"
    )
    received_at = DateTimeField()
    first_feedback_due = DateTimeField()
    resolution_due = DateTimeField()
    first_feedback_at = DateTimeField(allow_null=True)
    resolved_at = DateTimeField(allow_null=True)
    closed_at = DateTimeField(allow_null=True)
    countdown = serializers.SerializerMethodField()
    is_valid = serializers.BooleanField(
        allow_null=True, help_text="a justified complaint; decided at resolution"
    )
    repeat_of = serializers.IntegerField(source="repeat_of_id", allow_null=True)
    satisfaction = serializers.IntegerField(allow_null=True, help_text="1–5")
    escalated_at = DateTimeField(allow_null=True)

    def get_countdown(self, ticket) -> CountdownSerializer:
        from ..selectors import ticket_countdown

        now = self.context.get("now") or timezone.now()
        return CountdownSerializer(ticket_countdown(ticket, now=now)).data


class EventSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TicketEvent"

    at = DateTimeField()
    actor = StaffRefSerializer(allow_null=True, help_text="null: the client through a link, or the system")
    action = serializers.CharField()
    label = serializers.SerializerMethodField()
    from_state = choice_of(Ticket.State, blank=True)
    to_state = choice_of(Ticket.State, blank=True)
    note = serializers.CharField()
    data = serializers.DictField()

    def get_label(self, event) -> str:
        return action_label(event.action)


class ActionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TicketAction"

    code = serializers.CharField()
    label = serializers.CharField()
    note_required = serializers.BooleanField()
    requires = serializers.ListField(child=serializers.CharField(), help_text="keys of `data` it needs")
    style = serializers.CharField()


class TicketDetailOutputSerializer(TicketOutputSerializer):
    class Meta:
        ref_name = "TicketDetail"

    description = serializers.CharField()
    product_line = serializers.CharField(source="product_line.code", allow_null=True, default=None)
    first_feedback = serializers.CharField(help_text="what the client was told first")
    inspection_notes = serializers.CharField()
    cause = serializers.CharField()
    remedy = choice_of(Ticket.Remedy, "empty: none proposed", blank=True)
    remedy_detail = serializers.CharField()
    form_signed_at = DateTimeField(allow_null=True)
    form_signer_name = serializers.CharField()
    approval = choice_of(Ticket.Approval, "empty: not decided", blank=True)
    approval_comment = serializers.CharField()
    replacement_handed_at = DateTimeField(allow_null=True)
    receipt_signed_at = DateTimeField(allow_null=True)
    receipt_signer_name = serializers.CharField()
    resolution = serializers.CharField()
    confirmed_at = DateTimeField(allow_null=True)
    rated_via = choice_of(Ticket.RatedVia, "empty: not rated", blank=True)
    rating_comment = serializers.CharField()
    events = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="what the caller may do now")

    def get_events(self, ticket) -> EventSerializer(many=True):
        return EventSerializer(self.context["events"], many=True).data

    def get_actions(self, ticket) -> ActionSerializer(many=True):
        return ActionSerializer(self.context["actions"], many=True).data
