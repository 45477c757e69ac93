"""Questionnaires: managers see every edition; everyone else only what is published (to record answers)."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from ..models import Question, Questionnaire, Section
from ..services.common import may_manage_surveys


def questionnaire_list(*, viewer, state: str | None = None) -> QuerySet:
    """Editions the viewer may see, newest edition first within a code, with question and round counts."""
    questionnaires = Questionnaire.objects.all()
    if not may_manage_surveys(viewer):
        questionnaires = questionnaires.filter(state=Questionnaire.State.PUBLISHED)
    if state:
        questionnaires = questionnaires.filter(state=state)
    return questionnaires.annotate(
        question_count=Count("questions", distinct=True), round_count=Count("rounds", distinct=True)
    ).order_by("code", "-edition")


def access_questionnaire(viewer, questionnaire_id, *, for_write: bool = False) -> Questionnaire:
    """One questionnaire; "not found" for missing and forbidden (writing needs a manager)."""
    if for_write and not may_manage_surveys(viewer):
        raise Http404("No such questionnaire.")
    questionnaire = questionnaire_list(viewer=viewer).filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise Http404("No such questionnaire.")
    return questionnaire


def questionnaire_structure(questionnaire: Questionnaire) -> list[Section]:
    """Sections in order, each with `.ordered_questions` (options prefetched): three queries."""
    questions = Question.objects.order_by("order", "id").prefetch_related("options")
    return list(
        questionnaire.sections.order_by("order", "id").prefetch_related(
            Prefetch("questions", queryset=questions, to_attr="ordered_questions")
        )
    )
