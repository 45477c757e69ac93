"""Survey invitations in scope, and answers recorded by the account manager on a visit or by phone."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateTimeField, choice_of, choice_param, id_param

from ..models import Question, SurveyInvitation, SurveyResponse
from ..selectors import access_invitation, invitation_list
from ..services import survey_answer_record
from .common import TAG, NewestFirst, PlainChoiceField, SurveyClientRef, SurveyStaffRef


class InvitationOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyInvitation"

    class ResponseSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SurveyResponseBrief"

        id = serializers.IntegerField()
        answered_at = DateTimeField()
        mode = choice_of(SurveyResponse.Mode)
        index = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="0–100")
        nps = serializers.IntegerField(allow_null=True)

    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    round_name = serializers.CharField(source="round.name")
    client = SurveyClientRef()
    owner = SurveyStaffRef(help_text="the client's account manager when the round opened")
    state = choice_of(SurveyInvitation.State)
    channel = choice_of(SurveyInvitation.Channel)
    link_expires_at = DateTimeField(source="expires_at", allow_null=True)
    answered_at = DateTimeField(allow_null=True)
    response = serializers.SerializerMethodField()

    def get_response(self, invitation) -> ResponseSerializer(allow_null=True):
        response = getattr(invitation, "response", None) if invitation.state == "answered" else None
        return self.ResponseSerializer(response).data if response is not None else None


class InvitationListApi(APIView):
    pagination_class = NewestFirst

    @extend_schema(
        tags=[TAG],
        summary="List survey invitations",
        description="Invitations of the clients in your scope (an account manager: his own).",
        parameters=[
            OpenApiParameter("round", int),
            OpenApiParameter("state", str, enum=SurveyInvitation.State.values),
        ],
        responses=InvitationOutputSerializer(many=True),
    )
    def get(self, request):
        invitations = invitation_list(viewer=request.user).select_related("response")
        round_id = id_param(request, "round")
        state = choice_param(request, "state", SurveyInvitation.State.values)
        if round_id is not None:
            invitations = invitations.filter(round_id=round_id)
        if state:
            invitations = invitations.filter(state=state)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(invitations, request, view=self)
        return paginator.get_paginated_response(InvitationOutputSerializer(page, many=True).data)


class InvitationDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a survey invitation", responses=InvitationOutputSerializer)
    def get(self, request, pk: int):
        return Response(InvitationOutputSerializer(access_invitation(request.user, pk)).data)


class AnswerInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyAnswerInput"

    question = serializers.IntegerField()
    number = serializers.IntegerField(required=False, allow_null=True, help_text="a rating or NPS answer")
    options = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="option ids of a choice question"
    )
    text = serializers.CharField(required=False, allow_blank=True, help_text="a free-text answer")


class InvitationAnswersApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SurveyAnswersInput"

        mode = PlainChoiceField(
            choices=[SurveyResponse.Mode.VISIT, SurveyResponse.Mode.PHONE],
            default=SurveyResponse.Mode.VISIT,
            help_text="`visit` or `phone`",
        )
        answers = AnswerInputSerializer(many=True)

    @extend_schema(
        tags=[TAG],
        summary="Record a client's answers",
        description="The account manager (or his supervisor) records the answers the client gave on a "
        "visit or by phone. Errors are keyed `q<question id>`.",
        request=InputSerializer,
        responses={201: InvitationOutputSerializer},
    )
    def post(self, request, pk: int):
        invitation = access_invitation(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kinds = dict(
            Question.objects.filter(questionnaire_id=invitation.round.questionnaire_id).values_list(
                "pk", "kind"
            )
        )
        answers = {}
        for item in data.validated_data["answers"]:
            kind = kinds.get(item["question"])
            if kind in Question.CHOICE_KINDS:
                value = item.get("options") or []
            elif kind == Question.Kind.TEXT:
                value = item.get("text", "")
            else:
                value = item.get("number")
            answers[item["question"]] = value
        survey_answer_record(
            actor=request.user,
            invitation=invitation,
            answers=answers,
            mode=data.validated_data["mode"],
            request=request,
        )
        return Response(
            InvitationOutputSerializer(access_invitation(request.user, pk)).data,
            status=status.HTTP_201_CREATED,
        )
