"""The weekly and monthly documents (周工作安排表, 周工作总结, 月度工作计划表, 月度工作总结): per type a
list (scoped, filtered, keyset pages) where the caller also writes his own document of a period,
one document with its computed part (GET, PATCH on the version read), the workflow steps; and the
supervisor's team board.

The views are made per document type from one pattern (services.plans.KINDS), so every type has
its own schema components and operation ids."""

from datetime import date

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import (
    ChoiceField,
    DateField,
    DateFilter,
    DateTimeField,
    IdFilter,
    choice_of,
    date_param,
)

from .. import selectors
from ..models import PlanningSettings
from ..selectors.plans import MONTH, SCHEDULE, TARGETS, WEEK
from ..selectors.sales_report import board_sales_reports
from ..services import available_transitions, document_transition, plan_document_save
from ..services.documents import due_provisional, shown_due_at
from ..services.plans import KINDS, MONTHLY_PLAN, MONTHLY_SUMMARY, WEEKLY_SUMMARY
from ..workflow import DocState
from .common import (
    IF_MATCH,
    STALE,
    StaffRef,
    StaleAware,
    expected_version,
    filter_parameters,
    filtered,
)
from .performance import _month

TAG = "planning"
AMOUNT = {"max_digits": 16, "decimal_places": 2}
LABELS = {  # for the API's summaries (English, as the rest of the schema)
    "arrangement": "weekly work arrangement",
    "weekly-summary": "weekly summary",
    "monthly-plan": "monthly work plan",
    "monthly-summary": "monthly summary",
}
PATHS = {
    "arrangement": "weekly-arrangements",
    "weekly-summary": "weekly-summaries",
    "monthly-plan": "monthly-plans",
    "monthly-summary": "monthly-summaries",
}


def _camel(code: str) -> str:
    return "".join(part.title() for part in code.split("-"))


def _week(value) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"week": [_("Give a day of the week as YYYY-MM-DD.")]}) from None


class EventSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PlanDocumentEvent"

    action = serializers.CharField(help_text="create, update, submit, review or return")
    at = DateTimeField()
    actor = StaffRef()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    class Meta:
        ref_name = "WeeklyProgressRow"

    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.__str__")
    target = serializers.DecimalField(**AMOUNT, help_text="the month's target")
    achieved = serializers.DecimalField(**AMOUNT, help_text="registered up to the week's end")
    rate = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="done, on_track or behind")


class IndicatorSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MonthlyPlanIndicator"

    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.__str__")
    last_month = serializers.DecimalField(**AMOUNT, help_text="last month's actual")
    cumulative = serializers.DecimalField(**AMOUNT, help_text="this year up to today")
    last_year = serializers.DecimalField(**AMOUNT, help_text="the same month last year")
    target = serializers.DecimalField(**AMOUNT, allow_null=True, help_text="this month's target")
    mom = serializers.FloatField(allow_null=True, help_text="target vs last month, %; null without a base")
    yoy = serializers.FloatField(
        allow_null=True, help_text="target vs same month last year, %; null without a base"
    )


class CompletionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MonthlyCompletionRow"

    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.__str__")
    target = serializers.DecimalField(**AMOUNT)
    achieved = serializers.DecimalField(**AMOUNT)
    rate = serializers.FloatField(allow_null=True)


class StepInput(serializers.Serializer):
    class Meta:
        ref_name = "PlanDocumentStepInput"

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="required to return"
    )
    version = serializers.IntegerField(required=False, help_text="or If-Match")


def _own_fields(spec) -> dict:
    fields = {}
    for name in spec.text_fields:
        fields[name] = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    for name in spec.bool_fields:
        fields[name] = serializers.BooleanField(required=False, allow_null=True)
    for name in spec.count_fields:
        fields[name] = serializers.IntegerField(required=False, min_value=0)
    return fields


def _output(spec, *, detail: bool):
    """The document as served: the workflow's fields, the kind's own, and in detail its computed part."""
    name = f"{_camel(spec.code)}{'Detail' if detail else ''}"
    period = (
        DateField(source="week_start", help_text="the week's Monday")
        if spec.weekly
        else serializers.SerializerMethodField(help_text="YYYY-MM")
    )
    attrs = {
        "Meta": type("Meta", (), {"ref_name": name}),
        "id": serializers.IntegerField(),
        "version": serializers.IntegerField(),
        "owner": StaffRef(),
        "week" if spec.weekly else "month": period,
        "state": choice_of(DocState),
        "due_at": serializers.SerializerMethodField(
            help_text="when it is due (the working-day calendar as it stands until it is first submitted)"
        ),
        "due_provisional": serializers.SerializerMethodField(
            help_text="the due date rests on a year without official holiday data"
        ),
        "submitted_at": DateTimeField(allow_null=True, help_text="first submission"),
        "submitted_late": serializers.BooleanField(),
        "reviewer": StaffRef(allow_null=True),
        "reviewed_at": DateTimeField(allow_null=True),
        "comment": serializers.CharField(help_text="the supervisor's comment"),
        "actions": serializers.SerializerMethodField(help_text="the steps the caller may take now"),
        **{key: type(field)(read_only=True, **_kwargs(field)) for key, field in _own_fields(spec).items()},
    }

    if not spec.weekly:

        def get_month(self, document) -> str:
            return document.month.strftime("%Y-%m")

        attrs["get_month"] = get_month

    def _due(self, document):
        if "planning_settings" not in self.context:  # read once per response, not per document
            self.context["planning_settings"] = PlanningSettings.current()
        return shown_due_at(document, self.context["planning_settings"])

    @extend_schema_field(DateTimeField())
    def get_due_at(self, document) -> str:
        return DateTimeField().to_representation(_due(self, document))

    def get_due_provisional(self, document) -> bool:
        return due_provisional(_due(self, document))

    attrs["get_due_at"] = get_due_at
    attrs["get_due_provisional"] = get_due_provisional

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, document) -> list:
        user = self.context.get("user")
        return [t.code for t in available_transitions(user, document, in_scope=True)] if user else []

    attrs["get_actions"] = get_actions
    if spec.code == MONTHLY_PLAN:
        attrs["key_share"] = serializers.FloatField(
            allow_null=True, help_text="key clients in % of the clients to visit"
        )
    if detail:
        attrs["events"] = serializers.SerializerMethodField(help_text="who did what when, oldest first")

        @extend_schema_field(EventSerializer(many=True))
        def get_events(self, document) -> list:
            return EventSerializer(document.events.select_related("actor"), many=True).data

        attrs["get_events"] = get_events
        computed = _computed_field(spec)
        if computed:
            attrs.update(computed)
    return type(f"{name}OutputSerializer", (serializers.Serializer,), attrs)


def _kwargs(field) -> dict:
    return {"allow_null": True} if isinstance(field, serializers.BooleanField) else {}


def get_figures_frozen(self, document) -> bool:
    return selectors.frozen_figures(document) is not None


def _frozen() -> dict:
    return {
        "figures_frozen": serializers.SerializerMethodField(
            help_text="the figures are those the summary was submitted with (submitted or reviewed)"
        ),
        "get_figures_frozen": get_figures_frozen,
    }


def _computed_field(spec) -> dict:
    today = timezone.localdate
    if spec.code == WEEKLY_SUMMARY:

        @extend_schema_field(ProgressSerializer(many=True))
        def get_progress(self, document) -> list:
            _month_, rows = selectors.week_progress(
                owner=document.owner, monday=document.week_start, today=today(), document=document
            )
            return ProgressSerializer(rows, many=True).data

        return {
            "progress": serializers.SerializerMethodField(
                help_text="indicator progress against the targets of the week's month"
            ),
            "get_progress": get_progress,
            **_frozen(),
        }
    if spec.code == MONTHLY_PLAN:

        @extend_schema_field(IndicatorSerializer(many=True))
        def get_indicators(self, document) -> list:
            rows = selectors.month_indicators(owner=document.owner, month=document.month, today=today())
            return IndicatorSerializer(rows, many=True).data

        return {"indicators": serializers.SerializerMethodField(), "get_indicators": get_indicators}
    if spec.code == MONTHLY_SUMMARY:

        @extend_schema_field(CompletionSerializer(many=True))
        def get_completion(self, document) -> list:
            rows = selectors.month_completion(owner=document.owner, month=document.month, document=document)
            return CompletionSerializer(rows, many=True).data

        return {
            "completion": serializers.SerializerMethodField(),
            "get_completion": get_completion,
            **_frozen(),
        }
    return {}


def _filter(spec):
    field = spec.period_field
    attrs = {
        "owner": IdFilter(label="Account manager (staff id)", field_name="owner"),
        "state": django_filters.ChoiceFilter(label="State", choices=DocState.choices),
        "period_from": DateFilter(label="Period on or after", field_name=field, lookup_expr="gte"),
        "period_to": DateFilter(label="Period on or before", field_name=field, lookup_expr="lte"),
        "Meta": type(
            "Meta", (), {"model": spec.model, "fields": ["owner", "state", "period_from", "period_to"]}
        ),
    }
    return type(f"{_camel(spec.code)}Filter", (django_filters.FilterSet,), attrs)


def make_views(code: str) -> dict[str, type]:
    """The API views of one document type."""
    spec = KINDS[code]
    camel = _camel(code)
    label = LABELS[code]
    output = _output(spec, detail=False)
    detail_output = _output(spec, detail=True)
    filterset = _filter(spec)
    pagination = type(f"{camel}Pagination", (KeysetPagination,), {"keys": (f"-{spec.period_field}", "-id")})
    own = _own_fields(spec)
    patch_input = type(
        f"{camel}InputSerializer",
        (serializers.Serializer,),
        {"Meta": type("Meta", (), {"ref_name": f"{camel}Input"}), **own},
    )
    period_field = (
        DateField(help_text="any day of the week")
        if spec.weekly
        else serializers.CharField(help_text="YYYY-MM")
    )
    create_input = type(
        f"{camel}CreateInputSerializer",
        (serializers.Serializer,),
        {
            "Meta": type("Meta", (), {"ref_name": f"{camel}CreateInput"}),
            "week" if spec.weekly else "month": period_field,
            **_own_fields(spec),
        },
    )

    def detail_response(request, document, status_code=status.HTTP_200_OK):
        document = selectors.access_plan_document(request.user, code, document.pk)
        return Response(detail_output(document, context={"user": request.user}).data, status=status_code)

    class ListApi(APIView):
        pagination_class = pagination

        @extend_schema(
            tags=[TAG],
            summary=f"List {label}s",
            parameters=filter_parameters(filterset),
            responses=output(many=True),
            operation_id=f"v1_planning_{PATHS[code].replace('-', '_')}_list",
        )
        def get(self, request):
            documents = filtered(
                filterset, request.query_params, selectors.plan_documents_for(request.user, code)
            )
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(documents, request, view=self)
            return paginator.get_paginated_response(
                output(page, many=True, context={"user": request.user}).data
            )

        @extend_schema(
            tags=[TAG],
            summary=f"Write the caller's {label} of a period",
            description="Creates the caller's own document of the period (one per account manager and "
            "period); change it afterwards with PATCH.",
            request=create_input,
            responses={201: detail_output},
            operation_id=f"v1_planning_{PATHS[code].replace('-', '_')}_create",
        )
        def post(self, request):
            data = create_input(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            period = _week(values.pop("week")) if spec.weekly else _month(values.pop("month"))
            if selectors.plan_document_of(code, request.user, period) is not None:
                raise ValidationError(
                    {spec.period_field: [_("You already have this document; change it instead.")]}
                )
            document, _changed = plan_document_save(
                actor=request.user, kind=code, period=period, data=values, expected_version=0, request=request
            )
            return detail_response(request, document, status.HTTP_201_CREATED)

    class DetailApi(StaleAware, APIView):
        @extend_schema(
            tags=[TAG],
            summary=f"Get a {label}",
            responses=detail_output,
            operation_id=f"v1_planning_{PATHS[code].replace('-', '_')}_retrieve",
        )
        def get(self, request, pk: int):
            return detail_response(request, selectors.access_plan_document(request.user, code, pk))

        @extend_schema(
            tags=[TAG],
            summary=f"Change the caller's own {label} (draft or returned)",
            request=patch_input,
            responses={200: detail_output, 409: STALE},
            parameters=[IF_MATCH],
            operation_id=f"v1_planning_{PATHS[code].replace('-', '_')}_partial_update",
        )
        def patch(self, request, pk: int):
            document = selectors.access_plan_document(request.user, code, pk)
            if document.owner_id != request.user.pk:
                raise PermissionDenied(_("Only the account manager writes his own plans."))
            data = patch_input(data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            document, _changed = plan_document_save(
                actor=request.user,
                kind=code,
                period=getattr(document, spec.period_field),
                data=dict(data.validated_data),
                expected_version=expected_version(request),
                request=request,
            )
            return detail_response(request, document)

    def step(action: str, summary: str):
        @extend_schema(
            tags=[TAG],
            summary=summary,
            request=StepInput,
            responses={200: detail_output, 409: STALE},
            parameters=[IF_MATCH],
            operation_id=f"v1_planning_{PATHS[code].replace('-', '_')}_{action}",
        )
        def post(self, request, pk: int):
            document = selectors.access_plan_document(request.user, code, pk)
            data = StepInput(data=request.data)
            data.is_valid(raise_exception=True)
            document = document_transition(
                actor=request.user,
                document=document,
                action=action,
                version=expected_version(request, required=False),
                comment=data.validated_data["comment"],
                request=request,
            )
            return detail_response(request, document)

        return type(f"{camel}{action.title()}Api", (StaleAware, APIView), {"post": post})

    return {
        "list": type(f"{camel}ListApi", (ListApi,), {}),
        "detail": type(f"{camel}DetailApi", (DetailApi,), {}),
        "submit": step("submit", f"Submit a {label}"),
        "review": step("review", f"Mark a {label} as read"),
        "return": step("return", f"Return a {label} for changes"),
    }


VIEWS = {code: make_views(code) for code in KINDS}


class BoardCellSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PlanningBoardCell"

    kind = serializers.CharField(
        help_text="visit-schedule (the weekly visit schedule, due before its week), arrangement, "
        "weekly-summary, targets, monthly-plan, monthly-summary or sales-report (the monthly sales "
        "analysis report on the month before the board's, due in the board's month)"
    )
    period = DateField(help_text="the week's Monday or the month's first day")
    id = serializers.IntegerField(source="document.pk", allow_null=True, default=None)
    state = ChoiceField(
        choices=[*DocState.values, "missing", "not_due"],
        help_text="a document's state, or `missing` once due and not handed in, `not_due` before",
    )
    due_at = DateTimeField()
    due_provisional = serializers.BooleanField(
        source="provisional", help_text="the due date rests on a year without official holiday data"
    )
    overdue = serializers.BooleanField(help_text="due and not handed in")
    url = serializers.CharField(help_text="the document's page")


class BoardRowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PlanningBoardRow"

    staff = StaffRef(source="person")
    logs_handed_in = serializers.IntegerField()
    logs_missing = serializers.IntegerField(help_text="due working days without a handed-in log")
    overdue = serializers.SerializerMethodField(help_text="missing logs and overdue documents")
    cells = serializers.SerializerMethodField()

    def get_overdue(self, row) -> int:
        return row.overdue + int(row.sales_report.overdue)

    @extend_schema_field(BoardCellSerializer(many=True))
    def get_cells(self, row) -> list:
        cells = [
            cell
            for code in (
                SCHEDULE,
                "arrangement",
                "weekly-summary",
                TARGETS,
                "monthly-plan",
                "monthly-summary",
            )
            for cell in row.cells[code]
        ]
        return BoardCellSerializer([*cells, row.sales_report], many=True).data


class BoardApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PlanningBoard"

        period = serializers.CharField(help_text="week or month")
        start = DateField()
        end = DateField()
        month = DateField(help_text="the month of the monthly documents")
        rows = BoardRowSerializer(many=True)

    @extend_schema(
        tags=[TAG],
        summary="The team board: who handed in what, what is overdue",
        description="Per account manager in the caller's scope: the period's work logs and each weekly and "
        "monthly document, and the monthly sales analysis report due in the period, with its state and "
        "whether it is overdue.",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, enum=[WEEK, MONTH], description="default week"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="a day of the period; default today"),
        ],
        responses=OutputSerializer,
    )
    def get(self, request):
        period = MONTH if request.query_params.get("period") == MONTH else WEEK
        day = date_param(request, "date") or timezone.localdate()
        board = board_sales_reports(selectors.team_board(viewer=request.user, period=period, day=day))
        return Response(self.OutputSerializer(board).data)
