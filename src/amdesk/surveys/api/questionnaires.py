"""Questionnaires (read-only here: the builder is a page): list and detail with sections and questions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateTimeField, choice_of, choice_param

from ..models import Question, Questionnaire
from ..selectors import access_questionnaire, questionnaire_list, questionnaire_structure
from .common import TAG, NewestFirst


class QuestionnaireOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Questionnaire"

    id = serializers.IntegerField()
    code = serializers.CharField(help_text="editions of one questionnaire share the code")
    edition = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    state = choice_of(Questionnaire.State)
    version = serializers.IntegerField()
    published_at = DateTimeField(allow_null=True)
    question_count = serializers.IntegerField()
    round_count = serializers.IntegerField()


class OptionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyOption"

    id = serializers.IntegerField()
    label = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="0–100")


class QuestionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveyQuestion"

    id = serializers.IntegerField()
    text = serializers.CharField()
    help_text = serializers.CharField()
    kind = choice_of(Question.Kind)
    required = serializers.BooleanField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    dimension = serializers.CharField()
    options = OptionOutputSerializer(many=True, source="options.all")


class SectionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SurveySection"

    id = serializers.IntegerField()
    title = serializers.CharField()
    questions = QuestionOutputSerializer(many=True, source="ordered_questions")


class QuestionnaireDetailOutputSerializer(QuestionnaireOutputSerializer):
    class Meta:
        ref_name = "QuestionnaireDetail"

    sections = serializers.SerializerMethodField()

    def get_sections(self, questionnaire) -> SectionOutputSerializer(many=True):
        return SectionOutputSerializer(questionnaire_structure(questionnaire), many=True).data


class QuestionnaireListApi(APIView):
    pagination_class = NewestFirst

    @extend_schema(
        tags=[TAG],
        summary="List questionnaires",
        description="Managers see every edition; others the published ones.",
        parameters=[OpenApiParameter("state", str, enum=Questionnaire.State.values)],
        responses=QuestionnaireOutputSerializer(many=True),
    )
    def get(self, request):
        state = choice_param(request, "state", Questionnaire.State.values)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            questionnaire_list(viewer=request.user, state=state), request, view=self
        )
        return paginator.get_paginated_response(QuestionnaireOutputSerializer(page, many=True).data)


class QuestionnaireDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a questionnaire", responses=QuestionnaireDetailOutputSerializer)
    def get(self, request, pk: int):
        return Response(QuestionnaireDetailOutputSerializer(access_questionnaire(request.user, pk)).data)
