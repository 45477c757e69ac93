"""API: ladder proposals and their decision, the ladder rules, and the pay components of a period."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.api.common import STALE, stale_response
from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import choice_param, id_param, parse_id

from ..models import LadderProposal
from ..selectors.ladder import ladder_proposals, ladder_rules, rule_demotion_text, rule_promotion_text
from ..selectors.pay import pay_lines, pay_periods
from ..services.ladder import AlreadyDecided, ladder_decide

TAG = "appraisal"
MONEY = {"max_digits": 20, "decimal_places": 2}


class StaffRef(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalLadderStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    employee_no = serializers.CharField()


class GradeRef(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalGradeRef"

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    tier_name = serializers.CharField()


class ProposalOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "LadderProposalOutput"

    id = serializers.IntegerField()
    period = serializers.IntegerField(source="period_id")
    period_label = serializers.CharField(source="period.label")
    staff = StaffRef()
    direction = serializers.CharField(help_text="promote or demote")
    from_grade = GradeRef()
    to_grade = GradeRef()
    basis = serializers.CharField(help_text="why: the scores and periods")
    state = serializers.CharField(help_text="pending, approved or rejected")
    decided_by = StaffRef(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()


class ProposalPagination(KeysetPagination):
    keys = ("-id",)


class LadderProposalListApi(APIView):
    pagination_class = ProposalPagination

    @extend_schema(
        tags=[TAG],
        summary="List ladder move proposals",
        description="Proposals about the people the caller sees (an account manager his own, a "
        "supervisor his team's, the appraisal admin everyone's), latest first.",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(LadderProposal.State.values)),
            OpenApiParameter("period", OpenApiTypes.INT, description="an appraisal period"),
        ],
        responses=ProposalOutputSerializer(many=True),
    )
    def get(self, request):
        state = choice_param(request, "state", LadderProposal.State.values)
        proposals = ladder_proposals(viewer=request.user, state=state, period_id=id_param(request, "period"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(proposals, request, view=self)
        return paginator.get_paginated_response(ProposalOutputSerializer(page, many=True).data)


class LadderDecideApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LadderDecideInput"

        approve = serializers.BooleanField(help_text="true approves the move, false rejects it")
        reason = serializers.CharField(max_length=2000, help_text="required either way")

    @extend_schema(
        tags=[TAG],
        summary="Approve or reject a ladder move",
        description="The appraisal admin only (403 for others). Approval moves the grade from the day "
        "after the period's end (the grade history records it). 409 when already decided.",
        request=InputSerializer,
        responses={200: ProposalOutputSerializer, 409: STALE},
    )
    def post(self, request, proposal_id: int):
        proposal = get_object_or_404(ladder_proposals(viewer=request.user), pk=parse_id(proposal_id, "id"))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            proposal = ladder_decide(
                actor=request.user,
                proposal=proposal,
                approve=data.validated_data["approve"],
                reason=data.validated_data["reason"],
            )
        except AlreadyDecided as exc:
            return stale_response(" ".join(exc.messages))
        proposal = ladder_proposals(viewer=request.user).get(pk=proposal.pk)
        return Response(ProposalOutputSerializer(proposal).data)


class RuleOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "LadderRuleOutput"

    grade = GradeRef()
    promote_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    promote_periods = serializers.IntegerField()
    demote_below = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    is_active = serializers.BooleanField()
    promotion = serializers.SerializerMethodField(help_text="the promotion rule in words")
    demotion = serializers.SerializerMethodField(help_text="the demotion rule in words")

    def get_promotion(self, rule) -> str:
        return rule_promotion_text(rule)

    def get_demotion(self, rule) -> str:
        return rule_demotion_text(rule)


class LadderRuleListApi(APIView):
    @extend_schema(tags=[TAG], summary="List the ladder rules", responses=RuleOutputSerializer(many=True))
    def get(self, request):
        return Response(RuleOutputSerializer(ladder_rules(), many=True).data)


class ComponentSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PayComponent"

    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField()


class PayLineOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PayLineOutput"

    staff = StaffRef()
    grade = GradeRef(source="card.grade", allow_null=True)
    score = serializers.DecimalField(source="card.score", max_digits=7, decimal_places=2)
    assets = serializers.DecimalField(**MONEY, help_text="clients' AUM at the period's end")
    band = serializers.CharField(source="band.name", allow_null=True, default=None)
    formal_contract = serializers.BooleanField()
    base = ComponentSerializer()
    opening_bonus = ComponentSerializer()
    allowance = ComponentSerializer()
    performance = ComponentSerializer()
    deferred = ComponentSerializer()
    paid_now = serializers.DecimalField(**MONEY)
    deferred_until = serializers.CharField(help_text="YYYY-MM the deferred share is paid")


class PayApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Pay components of a period",
        description="One line per person the caller sees (an account manager his own, a supervisor "
        "his team's, the appraisal admin everyone's), each component with its reason. Not a payroll.",
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.INT, required=True, description="a computed or approved period"
            )
        ],
        responses=PayLineOutputSerializer(many=True),
    )
    def get(self, request):
        period_id = id_param(request, "period")
        if period_id is None:
            raise serializers.ValidationError({"period": [_("Choose a period.")]})
        period = get_object_or_404(pay_periods(viewer=request.user), pk=period_id)
        return Response(
            PayLineOutputSerializer(pay_lines(viewer=request.user, period=period), many=True).data
        )


urlpatterns = [
    path("ladder-proposals/", LadderProposalListApi.as_view(), name="appraisal-ladder-proposals"),
    path(
        "ladder-proposals/<int:proposal_id>/decide/",
        LadderDecideApi.as_view(),
        name="appraisal-ladder-decide",
    ),
    path("ladder-rules/", LadderRuleListApi.as_view(), name="appraisal-ladder-rules"),
    path("pay/", PayApi.as_view(), name="appraisal-pay"),
]
