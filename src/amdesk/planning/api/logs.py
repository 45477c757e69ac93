"""The daily work log 工作日志: list, write (the caller's own), submit, review or return.

Every write answers with the whole log: its new version (send it back as If-Match or `version`)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, DateTimeField, choice_of, date_param, id_param

from ..models import PlanningSettings
from ..selectors import access_work_log, missing_logs, openings_of, work_logs_for
from ..services import available_transitions, document_transition, work_log_create, work_log_update
from ..workflow import DocState
from .common import (
    IF_MATCH,
    STALE,
    StaffRef,
    StaleAware,
    WorkLogPagination,
    expected_version,
    filter_parameters,
    filtered,
)
from .filters import WorkLogFilter

TAG = "planning"


class OpeningSerializer(serializers.Serializer):
    class Meta:
        ref_name = "WorkLogOpening"

    item = serializers.CharField(
        max_length=40,
        help_text="product code: a performance item registered daily (the industry preset's catalogue, "
        "the rows of the performance sheet)",
    )
    count = serializers.IntegerField(min_value=0, help_text="new clients opened for this product that day")


class WorkLogEventSerializer(serializers.Serializer):
    class Meta:
        ref_name = "WorkLogEvent"

    action = serializers.CharField(help_text="create, update, submit, review or return")
    at = DateTimeField()
    actor = StaffRef()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()


class WorkLogOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "WorkLog"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    owner = StaffRef()
    day = DateField()
    state = choice_of(DocState)
    due_at = DateTimeField(help_text="when the log is due (the working-day calendar)")
    submitted_at = DateTimeField(allow_null=True, help_text="first submission")
    submitted_late = serializers.BooleanField()
    reviewer = StaffRef(allow_null=True)
    reviewed_at = DateTimeField(allow_null=True)
    comment = serializers.CharField(help_text="the supervisor's comment")
    prospects_visited = serializers.IntegerField()
    counter_consultations = serializers.IntegerField()
    phone_consultations = serializers.IntegerField()
    cooperation = serializers.CharField(help_text="cooperation with outlet staff")
    problems = serializers.CharField()
    other = serializers.CharField()
    openings = serializers.SerializerMethodField(help_text="new clients opened, by product")
    actions = serializers.SerializerMethodField(help_text="the steps the caller may take now")

    @extend_schema_field(OpeningSerializer(many=True))
    def get_openings(self, log) -> list:
        rows = self.context.get("openings", {}).get(log.pk, [])
        return [{"item": row.item.code, "count": row.count} for row in rows]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, log) -> list:
        user = self.context.get("user")
        # Every log served was read through the caller's scoped selector.
        return [t.code for t in available_transitions(user, log, in_scope=True)] if user else []


class WorkLogDetailOutputSerializer(WorkLogOutputSerializer):
    class Meta:
        ref_name = "WorkLogDetail"

    events = serializers.SerializerMethodField(help_text="who did what when, oldest first")

    @extend_schema_field(WorkLogEventSerializer(many=True))
    def get_events(self, log) -> list:
        return WorkLogEventSerializer(log.events.select_related("actor"), many=True).data


class WorkLogInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "WorkLogInput"

    prospects_visited = serializers.IntegerField(min_value=0, required=False)
    counter_consultations = serializers.IntegerField(min_value=0, required=False)
    phone_consultations = serializers.IntegerField(min_value=0, required=False)
    cooperation = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    other = serializers.CharField(required=False, allow_blank=True)
    openings = OpeningSerializer(many=True, required=False, help_text="products left out keep their count")


def _openings(data: dict) -> dict | None:
    rows = data.pop("openings", None)
    return None if rows is None else {row["item"]: row["count"] for row in rows}


def _detail(request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    log = access_work_log(request.user, pk)
    context = {"user": request.user, "openings": openings_of([log])}
    return Response(WorkLogDetailOutputSerializer(log, context=context).data, status=status_code)


class WorkLogListApi(APIView):
    """Logs in the caller's scope, the latest day first; the caller writes his own log of a day."""

    pagination_class = WorkLogPagination

    class CreateInputSerializer(WorkLogInputSerializer):
        class Meta:
            ref_name = "WorkLogCreateInput"

        day = DateField(help_text="the day of the log (today or a past day)")

    @extend_schema(
        tags=[TAG],
        summary="List daily work logs",
        parameters=filter_parameters(WorkLogFilter),
        responses=WorkLogOutputSerializer(many=True),
    )
    def get(self, request):
        logs = filtered(WorkLogFilter, request.query_params, work_logs_for(request.user))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(logs, request, view=self)
        context = {"user": request.user, "openings": openings_of(page)}
        return paginator.get_paginated_response(
            WorkLogOutputSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        tags=[TAG],
        summary="Write the caller's log of a day",
        request=CreateInputSerializer,
        responses={201: WorkLogDetailOutputSerializer},
    )
    def post(self, request):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        day = values.pop("day")
        openings = _openings(values)
        log = work_log_create(actor=request.user, day=day, data=values, openings=openings, request=request)
        return _detail(request, log.pk, status_code=status.HTTP_201_CREATED)


class WorkLogDetailApi(StaleAware, APIView):
    @extend_schema(tags=[TAG], summary="Get a daily work log", responses=WorkLogDetailOutputSerializer)
    def get(self, request, pk: int):
        return _detail(request, pk)

    @extend_schema(
        tags=[TAG],
        summary="Change the caller's own log (draft or returned)",
        request=WorkLogInputSerializer,
        responses={200: WorkLogDetailOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        log = access_work_log(request.user, pk)
        data = WorkLogInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        openings = _openings(values)
        work_log_update(
            actor=request.user,
            log=log,
            data=values,
            openings=openings,
            expected_version=expected_version(request),
            request=request,
        )
        return _detail(request, pk)


class WorkLogTransitionApi(StaleAware, APIView):
    """One workflow step; `action` is fixed by the route (submit, review, return)."""

    action: str = ""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "WorkLogStepInput"

        comment = serializers.CharField(
            required=False, allow_blank=True, default="", help_text="required to return a log"
        )
        version = serializers.IntegerField(required=False, help_text="or If-Match")

    def post(self, request, pk: int):
        log = access_work_log(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document_transition(
            actor=request.user,
            document=log,
            action=self.action,
            version=expected_version(request, required=False),
            comment=data.validated_data["comment"],
            request=request,
        )
        return _detail(request, pk)


def _step(action: str, summary: str, description: str):
    def post(self, request, pk: int):
        return WorkLogTransitionApi.post(self, request, pk)

    post = extend_schema(
        tags=[TAG],
        summary=summary,
        description=description,
        request=WorkLogTransitionApi.InputSerializer,
        responses={200: WorkLogDetailOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
        operation_id=f"v1_planning_logs_{action}",
    )(post)
    return type(
        f"WorkLog{action.title()}Api",
        (WorkLogTransitionApi,),
        {"action": action, "post": post, "__doc__": description},
    )


WorkLogSubmitApi = _step("submit", "Submit a log", "The account manager hands in his draft or returned log.")
WorkLogReviewApi = _step(
    "review", "Mark a log as read", "His supervisor has read the submitted log (a comment is optional)."
)
WorkLogReturnApi = _step(
    "return", "Return a log for changes", "His supervisor returns the submitted log; say what should change."
)


class MissingLogsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MissingLogs"

        staff = StaffRef(source="person")
        days = serializers.ListField(child=DateField(), help_text="working days without a log")
        count = serializers.SerializerMethodField()

        def get_count(self, row) -> int:
            return len(row.days)

    @extend_schema(
        tags=[TAG],
        summary="Working days without a handed-in log, per account manager in scope",
        description="A draft counts as missing; today counts once its log is due. Default: the last "
        "`missing_days` of the planning settings up to today.",
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("owner", OpenApiTypes.INT, description="one account manager (staff id)"),
        ],
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        settings = PlanningSettings.current()
        today = timezone.localdate()
        end = date_param(request, "date_to") or today
        start = date_param(request, "date_from") or end - timedelta(days=settings.missing_days)
        owner = id_param(request, "owner")
        if start > end:
            raise ValidationError({"date_from": [_("The period starts after it ends.")]})
        if (end - start).days >= settings.max_period_days:
            raise ValidationError(
                {
                    "date_from": [
                        _("Ask for at most %(days)d days at once.") % {"days": settings.max_period_days}
                    ]
                }
            )
        rows = missing_logs(viewer=request.user, start=start, end=end, owner=owner)
        return Response(self.OutputSerializer(rows, many=True).data)
