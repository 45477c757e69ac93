"""API of appraisal periods and score cards, under /api/v1/appraisal/.

Periods are the frame of everyone's cards: any signed-in user lists them; opening, running,
approving and reopening are the appraisal admin's, signing a team off its supervisor's or head's.
Cards follow the pages' scope: an AM his own, a supervisor his teams', a head his branch's, the
appraisal admin all. Writes answer 409 "stale" when the period changed since `revision`."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.api.common import STALE, stale_response
from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateField, IdField, parse_id
from amdesk.orgs.models import OrgNode

from ..models import Scheme
from ..selectors.explain import card_explain
from ..selectors.periods import access_card, access_period, access_result, card_list, period_list
from ..services.locking import StalePeriod
from ..services.periods import period_approve, period_reopen, team_sign_off, value_adjust
from ..services.runs import period_open, period_run
from .period_serializers import CardSerializer, ExplanationSerializer, PeriodSerializer

TAG = "appraisal"
REVISION = serializers.IntegerField(
    min_value=0, required=False, help_text="the period's revision read; a later change answers 409"
)


class StaleAware:
    def handle_exception(self, exc):
        if isinstance(exc, StalePeriod):
            return stale_response(exc)
        return super().handle_exception(exc)


class PeriodListApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppraisalPeriodOpenInput"

        scheme = IdField(help_text="a scheme with an active version")
        start = DateField(help_text="any day in the period: the month, quarter or year containing it")

    @extend_schema(tags=[TAG], summary="List appraisal periods", responses=PeriodSerializer(many=True))
    def get(self, request):
        return Response(PeriodSerializer(period_list(viewer=request.user)[:200], many=True).data)

    @extend_schema(
        tags=[TAG], summary="Open a period", request=InputSerializer, responses={201: PeriodSerializer}
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = Scheme.objects.filter(pk=data.validated_data["scheme"]).first()
        if scheme is None:
            raise serializers.ValidationError({"scheme": [_("No such scheme.")]})
        period = period_open(
            actor=request.user, scheme=scheme, start=data.validated_data["start"], request=request
        )
        return Response(
            PeriodSerializer(access_period(request.user, period.pk)).data, status=status.HTTP_201_CREATED
        )


class PeriodDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="One appraisal period", responses=PeriodSerializer)
    def get(self, request, pk: int):
        return Response(PeriodSerializer(access_period(request.user, pk)).data)


class StepInput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalPeriodStepInput"

    revision = REVISION
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="required to reopen"
    )


def _step(name: str, summary: str):
    def post(self, request, pk: int):
        period = access_period(request.user, pk)
        data = StepInput(data=request.data)
        data.is_valid(raise_exception=True)
        extra = {"reason": data.validated_data.get("reason", "")} if name == "reopen" else {}
        action = {"run": period_run, "approve": period_approve, "reopen": period_reopen}[name]
        action(
            actor=request.user,
            period=period,
            revision=data.validated_data.get("revision"),
            request=request,
            **extra,
        )
        return Response(PeriodSerializer(access_period(request.user, pk)).data)

    post = extend_schema(
        tags=[TAG],
        summary=summary,
        request=StepInput,
        responses={200: PeriodSerializer, 409: STALE},
        operation_id=f"v1_appraisal_periods_{name}",
    )(post)
    return type(f"Period{name.title()}Api", (StaleAware, APIView), {"post": post, "__doc__": summary})


PeriodRunApi = _step("run", "Compute everyone's score card (again)")
PeriodApproveApi = _step("approve", "Approve and lock the period (every team signed off)")
PeriodReopenApi = _step("reopen", "Reopen an approved period, with a reason")


class SignOffApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppraisalSignOffInput"

        org_node = IdField(help_text="the team node")
        comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
        revision = REVISION

    @extend_schema(
        tags=[TAG],
        summary="Hand in a team's appraisal sheet",
        request=InputSerializer,
        responses={200: PeriodSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        period = access_period(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        node = OrgNode.objects.filter(pk=data.validated_data["org_node"]).first()
        if node is None:
            raise serializers.ValidationError({"org_node": [_("No such team.")]})
        team_sign_off(
            actor=request.user,
            period=period,
            org_node=node,
            comment=data.validated_data["comment"],
            revision=data.validated_data.get("revision"),
            request=request,
        )
        return Response(PeriodSerializer(access_period(request.user, pk)).data)


class CardPagination(KeysetPagination):
    keys = ("-id",)


class CardListApi(APIView):
    # Named on the view so the schema documents the paginated envelope (next, previous, results).
    pagination_class = CardPagination

    @extend_schema(
        tags=[TAG],
        summary="Score cards in scope",
        parameters=[
            OpenApiParameter("period", int, description="only this period"),
            OpenApiParameter("staff", int, description="only this person"),
        ],
        responses=CardSerializer(many=True),
    )
    def get(self, request):
        cards = card_list(viewer=request.user).order_by("-id")
        period_id = parse_id(request.query_params.get("period"), "period")
        staff_id = parse_id(request.query_params.get("staff"), "staff")
        if period_id is not None:
            cards = cards.filter(period_id=period_id)
        if staff_id is not None:
            cards = cards.filter(staff_id=staff_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cards, request, view=self)
        return paginator.get_paginated_response(CardSerializer(page, many=True).data)


class CardDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="One score card with its explanation", responses=ExplanationSerializer)
    def get(self, request, pk: int):
        return Response(ExplanationSerializer(card_explain(access_card(request.user, pk))).data)


class ResultAdjustApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppraisalAdjustInput"

        adjusted_value = serializers.DecimalField(
            max_digits=18, decimal_places=4, allow_null=True, help_text="null removes the adjustment"
        )
        reason = serializers.CharField(max_length=2000, allow_blank=True)
        revision = REVISION

    @extend_schema(
        tags=[TAG],
        summary="Adjust an indicator's value (appraisal admin), with a reason",
        request=InputSerializer,
        responses={200: ExplanationSerializer, 409: STALE},
    )
    def patch(self, request, pk: int):
        result = access_result(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value_adjust(
            actor=request.user,
            result=result,
            value=data.validated_data["adjusted_value"],
            reason=data.validated_data["reason"],
            revision=data.validated_data.get("revision"),
            request=request,
        )
        return Response(ExplanationSerializer(card_explain(access_card(request.user, result.card_id))).data)


urlpatterns = [
    path("periods/", PeriodListApi.as_view()),
    path("periods/<int:pk>/", PeriodDetailApi.as_view()),
    path("periods/<int:pk>/run/", PeriodRunApi.as_view()),
    path("periods/<int:pk>/approve/", PeriodApproveApi.as_view()),
    path("periods/<int:pk>/reopen/", PeriodReopenApi.as_view()),
    path("periods/<int:pk>/sign-off/", SignOffApi.as_view()),
    path("cards/", CardListApi.as_view()),
    path("cards/<int:pk>/", CardDetailApi.as_view()),
    path("results/<int:pk>/", ResultAdjustApi.as_view()),
]
