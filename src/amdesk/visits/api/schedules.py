"""The weekly visit schedule 客户访问日程表: proposed for the caller, edited, submitted, reviewed.

Every write on a schedule or its entries answers with the whole schedule: its new version (send it
back as If-Match) and the route as it now stands, since moving one entry renumbers a day.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.api.common import stale_response
from amdesk.core.params import DateField, DateTimeField, choice_of
from amdesk.orgs.access import access_client

from ..models import ScheduleEntry, Visit, VisitSchedule
from ..selectors import access_schedule, schedule_entries, schedules_for
from ..services import (
    StaleSchedule,
    schedule_entry_add,
    schedule_entry_change,
    schedule_entry_remove,
    schedule_propose,
    schedule_review,
    schedule_submit,
)
from .common import ClientRef, StaffRef, expected_version, filter_parameters, filtered
from .filters import ScheduleFilter
from .pagination import SchedulePagination

TAG = "visit schedules"
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="the schedule version read (or `version` in the body); refused if it changed since",
)


class StaleAware:
    """Schedule writes answer 409 "stale" when the schedule changed since the caller read it."""

    def handle_exception(self, exc):
        if isinstance(exc, StaleSchedule):
            return stale_response(exc)
        return super().handle_exception(exc)


class ScheduleEntryOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ScheduleEntry"

    id = serializers.IntegerField()
    day = DateField()
    position = serializers.IntegerField(help_text="place on the day's route, from 0")
    client = ClientRef()
    reason = choice_of(ScheduleEntry.Reason)
    mode = choice_of(Visit.Mode)
    strategy = serializers.CharField(help_text="service strategy for this visit")
    visited = serializers.SerializerMethodField()
    visit = serializers.SerializerMethodField(help_text="the visit record that fulfilled the entry")

    def get_visited(self, entry) -> bool:
        return hasattr(entry, "visit")  # the reverse one-to-one is selected: no query either way

    def get_visit(self, entry) -> int | None:
        return entry.visit.pk if hasattr(entry, "visit") else None


class ScheduleOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "VisitSchedule"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    owner = StaffRef()
    week_start = DateField(help_text="the Monday of the week")
    state = choice_of(VisitSchedule.State)
    is_editable = serializers.BooleanField(help_text="the account manager may still change it")
    proposed_at = DateTimeField()
    submitted_at = DateTimeField(allow_null=True)
    reviewer = StaffRef(allow_null=True)
    reviewed_at = DateTimeField(allow_null=True)
    comment = serializers.CharField(help_text="the supervisor's comment")


class ScheduleListOutputSerializer(ScheduleOutputSerializer):
    class Meta:
        ref_name = "VisitScheduleListItem"

    entry_count = serializers.IntegerField()


class ScheduleDetailOutputSerializer(ScheduleOutputSerializer):
    class Meta:
        ref_name = "VisitScheduleDetail"

    entries = serializers.SerializerMethodField(help_text="in route order: by day, then position")

    @extend_schema_field(ScheduleEntryOutputSerializer(many=True))
    def get_entries(self, schedule) -> list:
        return ScheduleEntryOutputSerializer(schedule_entries(schedule), many=True).data


def _detail(request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    schedule = access_schedule(request.user, pk)
    return Response(ScheduleDetailOutputSerializer(schedule).data, status=status_code)


def _entry(request, pk: int, entry_id: int) -> ScheduleEntry:
    schedule = access_schedule(request.user, pk)
    entry = schedule_entries(schedule).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such schedule entry.")
    entry.schedule = schedule
    return entry


class ScheduleListApi(APIView):
    """Schedules in the caller's scope, the latest week first; the caller's proposal for a week."""

    pagination_class = SchedulePagination

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "VisitScheduleProposeInput"

        week_start = DateField(help_text="any day of the week; the schedule starts on its Monday")

    class ProposalOutputSerializer(ScheduleDetailOutputSerializer):
        class Meta:
            ref_name = "VisitScheduleProposal"

        left_over = serializers.ListField(
            child=serializers.IntegerField(), help_text="ids of clients due this week that did not fit"
        )

    @extend_schema(
        tags=[TAG],
        summary="List visit schedules",
        parameters=filter_parameters(ScheduleFilter),
        responses=ScheduleListOutputSerializer(many=True),
    )
    def get(self, request):
        schedules = filtered(ScheduleFilter, request.query_params, schedules_for(request.user))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(schedules, request, view=self)
        return paginator.get_paginated_response(ScheduleListOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Propose the caller's schedule for a week",
        description="201 with the system's proposal; 200 with the schedule the caller already has.",
        request=InputSerializer,
        responses={201: ProposalOutputSerializer, 200: ProposalOutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = schedule_propose(owner=request.user, week_start=data.validated_data["week_start"])
        schedule = access_schedule(request.user, proposal.schedule.pk)
        schedule.left_over = proposal.left_over
        return Response(
            self.ProposalOutputSerializer(schedule).data,
            status=status.HTTP_201_CREATED if proposal.created else status.HTTP_200_OK,
        )


class ScheduleDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a visit schedule", responses=ScheduleDetailOutputSerializer)
    def get(self, request, pk: int):
        return _detail(request, pk)


class ScheduleEntryListApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScheduleEntryInput"

        client = serializers.IntegerField(help_text="a client the caller may see")
        day = DateField(help_text="a day of the schedule's week")
        mode = serializers.ChoiceField(choices=Visit.Mode.choices, required=False)
        strategy = serializers.CharField(required=False, allow_blank=True, max_length=200)
        reason = serializers.ChoiceField(
            choices=[ScheduleEntry.Reason.MANUAL, ScheduleEntry.Reason.REQUEST], required=False
        )

    @extend_schema(
        tags=[TAG],
        summary="Add a client to a day's route",
        request=InputSerializer,
        responses={201: ScheduleDetailOutputSerializer},
        parameters=[IF_MATCH_OPTIONAL],
    )
    def post(self, request, pk: int):
        schedule = access_schedule(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client = access_client(request.user, values.pop("client"))
        schedule_entry_add(
            actor=request.user,
            schedule=schedule,
            client=client,
            **values,
            expected_version=expected_version(request, required=False),
            request=request,
        )
        return _detail(request, pk, status_code=status.HTTP_201_CREATED)


class ScheduleEntryDetailApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScheduleEntryChangeInput"

        day = DateField(required=False, help_text="move to this day of the week (last on its route)")
        position = serializers.IntegerField(required=False, min_value=0)
        mode = serializers.ChoiceField(choices=Visit.Mode.choices, required=False)
        strategy = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(
        tags=[TAG],
        summary="Move or change a schedule entry",
        request=InputSerializer,
        responses=ScheduleDetailOutputSerializer,
        parameters=[IF_MATCH_OPTIONAL],
    )
    def patch(self, request, pk: int, entry_id: int):
        entry = _entry(request, pk, entry_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        schedule_entry_change(
            actor=request.user,
            entry=entry,
            data=data.validated_data,
            expected_version=expected_version(request, required=False),
            request=request,
        )
        return _detail(request, pk)

    @extend_schema(
        tags=[TAG],
        summary="Remove a schedule entry",
        request=None,
        responses=ScheduleDetailOutputSerializer,
        parameters=[IF_MATCH_OPTIONAL],
    )
    def delete(self, request, pk: int, entry_id: int):
        entry = _entry(request, pk, entry_id)
        schedule_entry_remove(
            actor=request.user,
            entry=entry,
            expected_version=expected_version(request, required=False),
            request=request,
        )
        return _detail(request, pk)


class ScheduleSubmitApi(StaleAware, APIView):
    @extend_schema(
        tags=[TAG],
        summary="Submit a schedule to the supervisor",
        request=None,
        responses=ScheduleDetailOutputSerializer,
        parameters=[IF_MATCH_OPTIONAL],
    )
    def post(self, request, pk: int):
        schedule = access_schedule(request.user, pk)
        schedule_submit(
            actor=request.user,
            schedule=schedule,
            expected_version=expected_version(request, required=False),
            request=request,
        )
        return _detail(request, pk)


class ScheduleReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "VisitScheduleReviewInput"

        comment = serializers.CharField(required=False, allow_blank=True, default="")
        accept = serializers.BooleanField(default=True, help_text="false returns it for changes (say why)")

    @extend_schema(
        tags=[TAG],
        summary="Review a submitted schedule",
        description="The account manager's supervisor accepts it, or returns it with a comment.",
        request=InputSerializer,
        responses=ScheduleDetailOutputSerializer,
    )
    def post(self, request, pk: int):
        schedule = access_schedule(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule_review(actor=request.user, schedule=schedule, **data.validated_data, request=request)
        return _detail(request, pk)
