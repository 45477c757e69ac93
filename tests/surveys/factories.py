"""Helpers that make questionnaires, rounds and answers consistent with the clients' owners and org."""

from datetime import date, timedelta

from django.utils import timezone

from amdesk.surveys.models import Question, Questionnaire, SurveyInvitation, SurveyResponse, SurveyRound
from amdesk.surveys.services import (
    question_add,
    questionnaire_create,
    questionnaire_default,
    questionnaire_publish,
    section_add,
    survey_answer_record,
    survey_round_create,
    survey_round_open,
)

K = Question.Kind


def make_questionnaire(
    actor, *, publish: bool = True, title: str = "测试问卷", publisher=None
) -> Questionnaire:
    """Two rated questions (weights 3 and 1), an NPS (weight 0), a scored single choice (weight 0) and a text.

    With answers {rating5: 5, rating10: 1} the index is (3·100 + 1·0) / 4 = 75. Published by
    `publisher` (default `actor`), who must be an administrator.
    """
    q = questionnaire_create(actor=actor, title=title, intro="请根据您的真实感受作答。")

    def add(section, **fields):
        return question_add(actor=actor, section=section, version=q.version, **fields)

    service = section_add(actor=actor, questionnaire=q, version=q.version, title="服务评价")
    add(service, text="服务态度", kind=K.RATING_5, weight=3, dimension="服务态度")
    add(service, text="专业能力", kind=K.RATING_10, weight=1, dimension="专业能力")
    add(service, text="联系方式", kind=K.SINGLE, required=False, options=[("上门", 100), ("电话", 50)])
    other = section_add(actor=actor, questionnaire=q, version=q.version, title="推荐与建议")
    add(other, text="推荐意愿", kind=K.NPS, weight=0, dimension="推荐意愿")
    add(other, text="意见建议", kind=K.TEXT, required=False)
    if publish:
        questionnaire_publish(actor=publisher or actor, questionnaire=q)
    return q


def default_questionnaire() -> Questionnaire:
    return questionnaire_default(actor=None)


def questions_of(questionnaire: Questionnaire) -> dict[str, Question]:
    """The questions by text, for writing answers in tests: {"服务态度": <Question>, …}."""
    return {q.text: q for q in questionnaire.questions.all()}


def make_round(
    actor,
    questionnaire: Questionnaire | None = None,
    *,
    target: str = SurveyRound.Target.KEY_CLIENTS,
    open_it: bool = True,
    start: date | None = None,
    name: str = "",
    **extra,
) -> SurveyRound:
    """A round over the quarter of `start` (today's by default), opened unless told otherwise."""
    questionnaire = questionnaire or make_questionnaire(actor)
    today = timezone.localdate()
    start = start or today.replace(day=1)
    # Answers are taken until the closing day: a round over a past period still runs today.
    survey_round = survey_round_create(
        actor=actor,
        questionnaire=questionnaire,
        name=name or f"{start:%Y-%m} 满意度调查",
        period_start=start,
        period_end=start + timedelta(days=89),
        opens_on=min(start, today),
        closes_on=max(start + timedelta(days=89), today),
        target=target,
        **extra,
    )
    if open_it:
        survey_round_open(actor=actor, survey_round=survey_round)
    return survey_round


def invitation_of(survey_round: SurveyRound, client) -> SurveyInvitation:
    return SurveyInvitation.objects.get(round=survey_round, client=client)


def answer(
    invitation: SurveyInvitation,
    *,
    actor=None,
    rating5: int = 5,
    rating10: int = 10,
    nps: int | None = 9,
    text: str = "",
    mode: str = SurveyResponse.Mode.VISIT,
) -> SurveyResponse:
    """Record answers to make_questionnaire()'s questions as the invitation's AM (or `actor`)."""
    questions = questions_of(invitation.round.questionnaire)
    answers = {
        questions["服务态度"].pk: rating5,
        questions["专业能力"].pk: rating10,
        questions["推荐意愿"].pk: nps,
    }
    if text:
        answers[questions["意见建议"].pk] = text
    return survey_answer_record(
        actor=actor or invitation.owner, invitation=invitation, answers=answers, mode=mode
    )
