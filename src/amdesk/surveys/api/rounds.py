"""Survey rounds with their response rates, and the satisfaction index."""

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, choice_of, choice_param, id_param, parse_month

from ..models import SurveyRound
from ..selectors import (
    GROUPS,
    access_round,
    response_rate,
    round_list,
    round_response_rates,
    satisfaction_index,
)
from .common import TAG, RoundPagination

QUARTER = re.compile(r"(?P<year>\d{4})-?Q(?P<q>[1-4])")


class RoundOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyRound"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    questionnaire = serializers.IntegerField(source="questionnaire_id")
    period_start = DateField()
    period_end = DateField()
    opens_on = DateField()
    closes_on = DateField()
    target = choice_of(SurveyRound.Target)
    sample_size = serializers.IntegerField(allow_null=True)
    org_node = serializers.IntegerField(
        source="org_node_id", allow_null=True, help_text="null: the whole organisation"
    )
    state = choice_of(SurveyRound.State)
    invited = serializers.IntegerField(help_text="invitations within your scope")
    answered = serializers.IntegerField(help_text="of them answered")
    response_rate = serializers.SerializerMethodField(
        help_text="percent answered, null when nobody was invited"
    )

    def get_response_rate(self, survey_round) -> float | None:
        return response_rate(survey_round)


class RateOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyRate"

    key = serializers.CharField(help_text="staff id, org node id or branch path")
    label = serializers.CharField()
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class RoundDetailOutputSerializer(RoundOutputSerializer):
    class Meta:
        ref_name = "SurveyRoundDetail"

    per_owner = RateOutputSerializer(many=True, help_text="response rate per account manager in your scope")


class RoundListApi(APIView):
    pagination_class = RoundPagination

    @extend_schema(
        tags=[TAG],
        summary="List survey rounds",
        parameters=[OpenApiParameter("state", str, enum=SurveyRound.State.values)],
        responses=RoundOutputSerializer(many=True),
    )
    def get(self, request):
        state = choice_param(request, "state", SurveyRound.State.values)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(round_list(viewer=request.user, state=state), request, view=self)
        return paginator.get_paginated_response(RoundOutputSerializer(page, many=True).data)


class RoundDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a survey round", responses=RoundDetailOutputSerializer)
    def get(self, request, pk: int):
        survey_round = access_round(request.user, pk)
        survey_round.per_owner = round_response_rates(viewer=request.user, survey_round=survey_round)
        return Response(RoundDetailOutputSerializer(survey_round).data)


class IndexRowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SatisfactionIndexRow"

    key = serializers.CharField(
        allow_null=True, help_text="staff id, org node id or branch path; null for the total"
    )
    label = serializers.CharField()
    invited = serializers.IntegerField()
    responses = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    index = serializers.FloatField(allow_null=True, help_text="0–100")
    shown = serializers.FloatField(allow_null=True, help_text="the index on the configured display scale")
    previous = serializers.FloatField(
        allow_null=True, help_text="the same group's index in the quarter before (all its rounds)"
    )
    change = serializers.FloatField(allow_null=True)
    nps = serializers.FloatField(allow_null=True, help_text="% promoters (9–10) − % detractors (0–6)")


class IndexOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SatisfactionIndex"

    round = serializers.IntegerField(allow_null=True, source="survey_round.pk", default=None)
    quarter_start = DateField(
        allow_null=True, source="quarter.start", default=None, help_text="first day of the quarter"
    )
    group_by = serializers.CharField()
    scale = serializers.IntegerField()
    threshold = serializers.FloatField(
        help_text="below it (0–100) an account manager records an improvement action"
    )
    total = IndexRowSerializer()
    rows = IndexRowSerializer(many=True)


class SatisfactionIndexApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Satisfaction index",
        description="The index per account manager, team or branch for a round (default: the latest), "
        "or for a quarter (every round surveying it), within your scope, lowest first.",
        parameters=[
            OpenApiParameter("group_by", str, enum=list(GROUPS), description="default `owner`"),
            OpenApiParameter("round", int, description="a survey round id; default the latest"),
            OpenApiParameter("quarter", str, description="e.g. `2026-Q1`, instead of a round"),
        ],
        responses=IndexOutputSerializer,
    )
    def get(self, request):
        group_by = choice_param(request, "group_by", GROUPS, default="owner")
        round_id = id_param(request, "round")
        survey_round = None if round_id is None else access_round(request.user, round_id)
        quarter = None
        raw_quarter = request.query_params.get("quarter") or ""
        if raw_quarter and survey_round is None:
            match = QUARTER.fullmatch(raw_quarter.strip().upper())
            quarter = match and parse_month(f"{match['year']}-{3 * int(match['q']) - 2:02d}", "quarter")
            if not quarter:
                raise serializers.ValidationError(
                    {"quarter": [_("Give the quarter as YYYY-Qn, e.g. 2026-Q1.")]}
                )
        result = satisfaction_index(
            viewer=request.user, survey_round=survey_round, quarter=quarter, group_by=group_by
        )
        return Response(IndexOutputSerializer(result).data)
