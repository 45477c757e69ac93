"""Monthly targets 目标设定表: read an account manager's month table (own or in scope), write it
(his own proposal, or a supervisor's setting), the workflow steps, the team's month and the split of
a team target."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import ChoiceField, choice_of, parse_id
from amdesk.orgs.access import access_staff

from ..selectors import access_target_sheet, month_targets, team_targets
from ..services import document_transition, target_sheet_save, team_targets_split
from ..workflow import DocState
from .common import IF_MATCH, STALE, StaffRef, StaleAware, expected_version
from .performance import _month

TAG = "planning"
STATUS = "done, on_track, behind, or empty without a target"
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class WeekSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TargetWeek"

    week = serializers.IntegerField(help_text="1–5, the weeks of the performance grid")
    target = serializers.DecimalField(**AMOUNT, allow_null=True)
    achieved = serializers.DecimalField(**AMOUNT)


class RowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TargetRow"

    item = serializers.CharField(source="item.code", help_text="indicator (performance item code)")
    name = serializers.CharField(source="item.__str__")
    last_target = serializers.DecimalField(**AMOUNT, allow_null=True)
    last_achieved = serializers.DecimalField(**AMOUNT)
    target = serializers.DecimalField(**AMOUNT, allow_null=True)
    weeks = serializers.SerializerMethodField()
    achieved = serializers.DecimalField(**AMOUNT, help_text="the month's registrations so far")
    rate = serializers.FloatField(allow_null=True, help_text="achieved in % of the target")
    status = serializers.CharField(help_text=STATUS)

    @extend_schema_field(WeekSerializer(many=True))
    def get_weeks(self, row) -> list:
        weeks = [{"week": n + 1, "target": t, "achieved": a} for n, (t, a) in enumerate(row.weeks)]
        return WeekSerializer(weeks, many=True).data


class TableSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TargetTable"

    id = serializers.IntegerField(allow_null=True, help_text="the target sheet; null when none yet")
    owner = StaffRef()
    month = serializers.CharField(help_text="YYYY-MM")
    version = serializers.IntegerField(help_text="0 when nothing was saved yet; send it back with PUT")
    state = choice_of(DocState, "empty when none yet", blank=True)
    set_by = StaffRef(allow_null=True)
    comment = serializers.CharField(help_text="the supervisor's comment")
    actions = serializers.ListField(child=serializers.CharField(), help_text="the steps the caller may take")
    expected_share = serializers.FloatField(help_text="share (0–1) of the month's working days over")
    rows = RowSerializer(many=True)


def _table(request, owner, month) -> Response:
    from ..services import available_transitions

    table = month_targets(owner=owner, month=month, today=timezone.localdate())
    sheet = table.sheet
    data = {
        "id": sheet.pk if sheet else None,
        "owner": owner,
        "month": month.strftime("%Y-%m"),
        "version": table.version,
        "state": sheet.state if sheet else "",
        "set_by": sheet.set_by if sheet else None,
        "comment": sheet.comment if sheet else "",
        "actions": [t.code for t in available_transitions(request.user, sheet)] if sheet else [],
        "expected_share": float(table.share),
        "rows": table.rows,
    }
    return Response(TableSerializer(data).data)


def _owner(request, value):
    owner_id = parse_id(value, "owner")
    return request.user if owner_id is None else access_staff(request.user, owner_id)


class LineSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TargetLineInput"

    item = serializers.CharField(help_text="indicator (performance item code)")
    target = serializers.DecimalField(**AMOUNT, min_value=0, allow_null=True, help_text="null removes it")
    weeks = serializers.ListField(
        child=serializers.DecimalField(**AMOUNT, min_value=0, allow_null=True),
        max_length=5,
        required=False,
        help_text="weeks 1–5; left out: the month's target spread by working days",
    )


class TargetTableApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TargetTableInput"

        month = serializers.CharField(help_text="YYYY-MM")
        owner = serializers.IntegerField(
            required=False, help_text="an account manager in scope; default the caller"
        )
        version = serializers.IntegerField(min_value=0, help_text="the version read (0: no sheet yet)")
        lines = LineSerializer(many=True, help_text="indicators left out keep their targets")

    @extend_schema(
        tags=[TAG],
        summary="Get an account manager's monthly targets",
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; default this month"),
            OpenApiParameter(
                "owner", OpenApiTypes.INT, description="an account manager in scope; default the caller"
            ),
        ],
        responses=TableSerializer,
    )
    def get(self, request):
        month = _month(request.query_params.get("month"))
        return _table(request, _owner(request, request.query_params.get("owner")), month)

    @extend_schema(
        tags=[TAG],
        summary="Write monthly targets",
        description="The caller's own proposal (while a draft or returned), or a supervisor setting an "
        "account manager's targets in his scope (approved at once). 409 when the sheet changed since "
        "`version`.",
        request=InputSerializer,
        responses={200: TableSerializer, 409: STALE},
    )
    def put(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        month = _month(data.validated_data["month"])
        owner = _owner(request, data.validated_data.get("owner"))
        lines = {
            line["item"]: {"target": line["target"], "weeks": line.get("weeks")}
            for line in data.validated_data["lines"]
        }
        target_sheet_save(
            actor=request.user,
            owner=owner,
            month=month,
            lines=lines,
            expected_version=data.validated_data["version"],
            request=request,
        )
        return _table(request, owner, month)


class TargetStepApi(StaleAware, APIView):
    action: str = ""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TargetStepInput"

        comment = serializers.CharField(
            required=False, allow_blank=True, default="", help_text="required to return"
        )
        version = serializers.IntegerField(required=False, help_text="or If-Match")

    def post(self, request, pk: int):
        sheet = access_target_sheet(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = document_transition(
            actor=request.user,
            document=sheet,
            action=self.action,
            version=expected_version(request, required=False),
            comment=data.validated_data["comment"],
            request=request,
        )
        return _table(request, sheet.owner, sheet.month)


def _step(action: str, summary: str, description: str):
    def post(self, request, pk: int):
        return TargetStepApi.post(self, request, pk)

    post = extend_schema(
        tags=[TAG],
        summary=summary,
        description=description,
        request=TargetStepApi.InputSerializer,
        responses={200: TableSerializer, 409: STALE},
        parameters=[IF_MATCH],
        operation_id=f"v1_planning_targets_{action}",
    )(post)
    return type(
        f"Target{action.title()}Api",
        (TargetStepApi,),
        {"action": action, "post": post, "__doc__": description},
    )


TargetSubmitApi = _step(
    "submit", "Submit proposed targets", "The account manager hands in his proposed targets."
)
TargetApproveApi = _step(
    "review", "Approve proposed targets", "His supervisor approves the submitted targets."
)
TargetReturnApi = _step(
    "return",
    "Return proposed targets",
    "His supervisor returns the submitted targets; say what should change.",
)


class TeamCellSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TeamTargetCell"

    item = serializers.CharField()
    target = serializers.DecimalField(**AMOUNT, allow_null=True)
    achieved = serializers.DecimalField(**AMOUNT)
    status = serializers.CharField(help_text=STATUS)


class TeamTargetsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TeamTargetRow"

        staff = StaffRef()
        state = ChoiceField(choices=DocState.choices, allow_blank=True, help_text="empty without targets")
        behind = serializers.IntegerField(help_text="indicators behind target")
        cells = TeamCellSerializer(many=True, help_text="per active indicator")

    @extend_schema(
        tags=[TAG],
        summary="Targets and achieved of the account managers in scope",
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; default this month")],
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        month = _month(request.query_params.get("month"))
        items, rows = team_targets(viewer=request.user, month=month, today=timezone.localdate())
        data = [
            {
                "staff": row.person,
                "state": row.sheet.state if row.sheet else "",
                "behind": row.behind,
                "cells": [
                    dict(
                        zip(("target", "achieved", "status"), row.cells[item.pk], strict=True), item=item.code
                    )
                    for item in items
                ],
            }
            for row in rows
        ]
        return Response(self.OutputSerializer(data, many=True).data)


class TargetSplitApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TargetSplitInput"

        class WeightSerializer(serializers.Serializer):
            class Meta:
                ref_name = "TargetSplitWeight"

            staff = serializers.IntegerField()
            weight = serializers.DecimalField(max_digits=8, decimal_places=3, min_value=0, default=1)

        month = serializers.CharField(help_text="YYYY-MM")
        item = serializers.CharField(help_text="indicator (performance item code)")
        total = serializers.DecimalField(**AMOUNT, min_value=0, help_text="the team's target")
        weights = WeightSerializer(many=True, help_text="who shares it; equal weights split evenly")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TargetSplitShare"

        staff = serializers.IntegerField()
        target = serializers.DecimalField(**AMOUNT)

    @extend_schema(
        tags=[TAG],
        summary="Split a team target among account managers",
        description="Each share becomes the account manager's approved month target of the indicator, "
        "spread over the weeks by working days.",
        request=InputSerializer,
        responses=OutputSerializer(many=True),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        shares = team_targets_split(
            actor=request.user,
            month=_month(values["month"]),
            item_code=values["item"],
            total=values["total"],
            weights={row["staff"]: row["weight"] for row in values["weights"]},
            request=request,
        )
        return Response(
            self.OutputSerializer(
                [{"staff": pk, "target": share} for pk, share in shares.items()], many=True
            ).data
        )
