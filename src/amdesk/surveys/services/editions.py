"""Editions of a questionnaire: what stops a draft from being published, publishing and archiving
(administrators only: questionnaires are organisation-wide), and copying into the next edition."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Option, Question, Questionnaire, Section
from .questionnaires import _audit, _check_draft, _check_manager, _check_publisher, _claim


def questionnaire_problems(questionnaire: Questionnaire) -> list[str]:
    """What stops this draft from being published (empty: it may be)."""
    problems: list[str] = []
    questions = list(questionnaire.questions.prefetch_related("options"))
    if not questions:
        problems.append(_("The questionnaire has no questions."))
    empty = questionnaire.sections.filter(questions__isnull=True).values_list("title", flat=True)
    problems.extend(_("Section “%(title)s” has no questions.") % {"title": title} for title in empty)
    counted = [
        q
        for q in questions
        if q.weight > 0
        and (q.is_rated or (q.is_choice and any(o.score is not None for o in q.options.all())))
    ]
    if not counted:
        problems.append(_("At least one rated question needs a weight above 0 for the satisfaction index."))
    for q in questions:
        if q.is_choice and len(q.options.all()) < 2:
            problems.append(_("“%(text)s” needs at least two options.") % {"text": q.text})
    return problems


@transaction.atomic
def questionnaire_publish(
    *, actor, questionnaire: Questionnaire, version: int | None = None, request=None
) -> Questionnaire:
    """Publish a draft (administrators: questionnaires are organisation-wide); earlier published
    editions of the same code are archived. `version`, when given, must be the draft's current one
    (the page's publish button sends it: what is published is what was seen)."""
    _check_publisher(actor)
    _check_draft(questionnaire)
    if version is not None:
        _claim(questionnaire, version)
    problems = questionnaire_problems(questionnaire)
    if problems:
        raise ValidationError(problems)
    Questionnaire.objects.filter(code=questionnaire.code, state=Questionnaire.State.PUBLISHED).update(
        state=Questionnaire.State.ARCHIVED
    )
    questionnaire.state, questionnaire.published_at = Questionnaire.State.PUBLISHED, timezone.now()
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        state=questionnaire.state, published_at=questionnaire.published_at, version=F("version") + 1
    )
    questionnaire.version += 1
    _audit(actor, questionnaire, "publish", request)
    return questionnaire


@transaction.atomic
def questionnaire_archive(*, actor, questionnaire: Questionnaire, request=None) -> Questionnaire:
    """Retire an edition (administrators): new rounds cannot use it; rounds that did keep their answers."""
    _check_publisher(actor)
    questionnaire.state = Questionnaire.State.ARCHIVED
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        state=questionnaire.state, version=F("version") + 1
    )
    questionnaire.version += 1
    _audit(actor, questionnaire, "archive", request)
    return questionnaire


@transaction.atomic
def questionnaire_copy(*, actor, questionnaire: Questionnaire, request=None) -> Questionnaire:
    """The next edition of a questionnaire as a draft, with the same sections, questions and options."""
    _check_manager(actor)
    last = Questionnaire.objects.filter(code=questionnaire.code).aggregate(last=Max("edition"))["last"]
    copy = Questionnaire.objects.create(
        code=questionnaire.code,
        edition=last + 1,
        title=questionnaire.title,
        intro=questionnaire.intro,
        copied_from=questionnaire,
        created_by=actor,
    )
    _copy_content(questionnaire, copy)
    _audit(actor, copy, "copy", request, copied_from=questionnaire.pk)
    return copy


def _copy_content(source: Questionnaire, target: Questionnaire) -> None:
    sections = list(source.sections.order_by("order", "id"))
    new_sections = Section.objects.bulk_create(
        Section(questionnaire=target, title=s.title, order=s.order) for s in sections
    )
    section_map = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}
    questions = list(source.questions.order_by("pk").prefetch_related("options"))
    new_questions = Question.objects.bulk_create(
        Question(
            questionnaire=target,
            section=section_map[q.section_id],
            order=q.order,
            text=q.text,
            help_text=q.help_text,
            kind=q.kind,
            required=q.required,
            weight=q.weight,
            dimension=q.dimension,
        )
        for q in questions
    )
    Option.objects.bulk_create(
        Option(question=new, label=o.label, order=o.order, score=o.score)
        for old, new in zip(questions, new_questions, strict=True)
        for o in old.options.all()
    )
