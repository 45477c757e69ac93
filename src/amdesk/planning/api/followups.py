"""Key-client follow-up plans 重点跟进客户计划: list (scoped; `overdue=true` for those with overdue
actions), create (a client of the caller's scope), change and plan more actions (the owner, on the
version read), record an action as done."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateField, DateTimeField, bool_param, id_param

from ..models import FollowUpAction, FollowUpPlan
from ..selectors import access_follow_up, access_follow_up_action, follow_ups_for
from ..services import follow_up_action_done, follow_up_create, follow_up_update
from .common import IF_MATCH, STALE, PlainChoiceField, StaffRef, StaleAware, expected_version

TAG = "planning"


class FollowUpPagination(KeysetPagination):
    keys = ("-id",)


class ActionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FollowUpAction"

    id = serializers.IntegerField()
    kind = serializers.CharField()
    note = serializers.CharField()
    planned_on = DateField()
    done_on = DateField(allow_null=True)
    outcome = serializers.CharField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, action) -> bool:
        return action.is_overdue(self.context["today"])


class ActionInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FollowUpActionInput"

    kind = PlainChoiceField(choices=FollowUpAction.Kind.choices)
    planned_on = DateField()
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="required for `other`"
    )


class ClientRef(serializers.Serializer):
    class Meta:
        ref_name = "FollowUpClientRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FollowUpPlan"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    owner = StaffRef()
    client = ClientRef()
    client_type = serializers.CharField(help_text="prospect, won or influence (centre of influence)")
    resources = serializers.CharField(help_text="resources needed")
    created_at = DateTimeField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, plan) -> list:
        actions = self.context.get("actions", {}).get(plan.pk, [])
        return ActionSerializer(actions, many=True, context=self.context).data


def _context(plans) -> dict:
    actions: dict[int, list] = {plan.pk: [] for plan in plans}
    for action in FollowUpAction.objects.filter(plan__in=[plan.pk for plan in plans]):
        actions[action.plan_id].append(action)
    return {"actions": actions, "today": timezone.localdate()}


def _detail(request, pk: int, *, status_code=status.HTTP_200_OK) -> Response:
    plan = access_follow_up(request.user, pk)
    return Response(PlanSerializer(plan, context=_context([plan])).data, status=status_code)


class FollowUpListApi(APIView):
    pagination_class = FollowUpPagination

    class CreateInputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FollowUpPlanCreateInput"

        client = serializers.IntegerField(help_text="a client in the caller's scope")
        client_type = PlainChoiceField(choices=FollowUpPlan.ClientType.choices)
        resources = serializers.CharField(required=False, allow_blank=True, default="")
        actions = ActionInputSerializer(many=True, required=False, default=list)

    @extend_schema(
        tags=[TAG],
        summary="List key-client follow-up plans",
        parameters=[
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="only plans with an overdue action"),
            OpenApiParameter("owner", OpenApiTypes.INT, description="one account manager (staff id)"),
        ],
        responses=PlanSerializer(many=True),
    )
    def get(self, request):
        plans = follow_ups_for(request.user, today=timezone.localdate())
        overdue, owner = bool_param(request, "overdue"), id_param(request, "owner")
        if overdue:
            plans = plans.filter(overdue_count__gt=0)
        if owner is not None:
            plans = plans.filter(owner=owner)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(plans, request, view=self)
        return paginator.get_paginated_response(PlanSerializer(page, many=True, context=_context(page)).data)

    @extend_schema(
        tags=[TAG],
        summary="Plan the follow-up of a client",
        request=CreateInputSerializer,
        responses={201: PlanSerializer},
    )
    def post(self, request):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        plan = follow_up_create(
            actor=request.user,
            client_id=values["client"],
            client_type=values["client_type"],
            resources=values["resources"],
            actions=[dict(row) for row in values["actions"]],
            request=request,
        )
        return _detail(request, plan.pk, status_code=status.HTTP_201_CREATED)


class FollowUpDetailApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FollowUpPlanInput"

        client_type = PlainChoiceField(choices=FollowUpPlan.ClientType.choices, required=False)
        resources = serializers.CharField(required=False, allow_blank=True)
        add_actions = ActionInputSerializer(many=True, required=False, default=list, help_text="more actions")

    @extend_schema(tags=[TAG], summary="Get a follow-up plan", responses=PlanSerializer)
    def get(self, request, pk: int):
        return _detail(request, pk)

    @extend_schema(
        tags=[TAG],
        summary="Change the caller's own follow-up plan",
        request=InputSerializer,
        responses={200: PlanSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        plan = access_follow_up(request.user, pk)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        added = [dict(row) for row in values.pop("add_actions", [])]
        follow_up_update(
            actor=request.user,
            plan=plan,
            data=values,
            add_actions=added,
            expected_version=expected_version(request, required=False),
            request=request,
        )
        return _detail(request, pk)


class FollowUpDoneApi(StaleAware, APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FollowUpDoneInput"

        done_on = DateField(required=False, help_text="default today")
        outcome = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        tags=[TAG],
        summary="Record a planned action as done",
        request=InputSerializer,
        responses={200: PlanSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        action = access_follow_up_action(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up_action_done(
            actor=request.user,
            action=action,
            done_on=data.validated_data.get("done_on") or timezone.localdate(),
            outcome=data.validated_data["outcome"],
            request=request,
        )
        return _detail(request, action.plan_id)
