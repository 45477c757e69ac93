"""The questionnaire builder: drafts are edited, published editions only copied (the next edition)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import Option, Question, Questionnaire, Section
from .common import StaleSurveyData, may_manage_surveys, may_publish_questionnaires

OptionSpec = tuple[str, Decimal | int | float | None]  # (label, score 0–100 or None)


def _check_manager(actor) -> None:
    if not may_manage_surveys(actor):
        raise PermissionDenied(_("Only supervisors and administrators manage questionnaires."))


def _check_publisher(actor) -> None:
    if not may_publish_questionnaires(actor):
        raise PermissionDenied(
            _(
                "Questionnaires are used across the organisation: "
                "only an administrator publishes or archives them."
            )
        )


def _check_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.state != Questionnaire.State.DRAFT:
        raise ValidationError(
            _("A published or archived questionnaire is not changed; make a new edition of it instead.")
        )


def _audit(actor, questionnaire: Questionnaire, action: str, request=None, **detail) -> None:
    audit_record(
        event=AuditEvent.QUESTIONNAIRE_CHANGED,
        actor=actor,
        request=request,
        target=questionnaire,
        detail={"action": action, "edition": questionnaire.edition, **detail},
    )


def _claim(questionnaire: Questionnaire, version: int) -> None:
    """Every change of a draft names the version it was made on and raises it, first thing in its
    transaction: a form or button shown before someone else's change is refused (StaleSurveyData,
    409 / "reload"), never applied over it. The UPDATE also locks the row until the change commits."""
    if version is None:
        raise TypeError("version is required: the questionnaire's version the change was made on")
    if not Questionnaire.objects.filter(pk=questionnaire.pk, version=version).update(
        version=F("version") + 1
    ):
        raise StaleSurveyData
    questionnaire.version = version + 1


def _unique_code(title: str) -> str:
    base = slugify(title)[:30] or "questionnaire"
    code, n = base, 1
    while Questionnaire.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def questionnaire_create(
    *, actor, title: str, intro: str = "", code: str = "", request=None
) -> Questionnaire:
    """A new draft questionnaire (edition 1), empty: add sections and questions to it."""
    _check_manager(actor)
    questionnaire = Questionnaire(
        code=code or _unique_code(title),
        edition=1,
        title=title.strip(),
        intro=intro.strip(),
        created_by=actor,
    )
    questionnaire.full_clean()
    questionnaire.save()
    _audit(actor, questionnaire, "create", request)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *, actor, questionnaire: Questionnaire, version: int, title: str, intro: str = "", request=None
) -> Questionnaire:
    _check_manager(actor)
    _check_draft(questionnaire)
    questionnaire.title, questionnaire.intro = title.strip(), intro.strip()
    questionnaire.full_clean()
    _claim(questionnaire, version)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        title=questionnaire.title, intro=questionnaire.intro
    )
    _audit(actor, questionnaire, "update", request, title=questionnaire.title)
    return questionnaire


@transaction.atomic
def section_add(*, actor, questionnaire: Questionnaire, version: int, title: str, request=None) -> Section:
    _check_manager(actor)
    _check_draft(questionnaire)
    _claim(questionnaire, version)
    last = questionnaire.sections.aggregate(last=Max("order"))["last"] or 0
    section = Section(questionnaire=questionnaire, title=title.strip(), order=last + 1)
    section.full_clean()
    section.save()
    _audit(actor, questionnaire, "section_add", request, section=section.title)
    return section


@transaction.atomic
def section_update(*, actor, section: Section, version: int, title: str, request=None) -> Section:
    _check_manager(actor)
    _check_draft(section.questionnaire)
    section.title = title.strip()
    section.full_clean()
    _claim(section.questionnaire, version)
    section.save(update_fields=["title"])
    _audit(actor, section.questionnaire, "section_update", request, section=section.title)
    return section


@transaction.atomic
def section_delete(*, actor, section: Section, version: int, request=None) -> None:
    """Removes the section with its questions (a draft has no answers)."""
    _check_manager(actor)
    questionnaire = section.questionnaire
    _check_draft(questionnaire)
    _claim(questionnaire, version)
    title = section.title
    section.delete()
    _audit(actor, questionnaire, "section_delete", request, section=title)


def _check_question(question: Question, options: list[OptionSpec] | None) -> None:
    errors: dict[str, list[str]] = {}
    if question.weight is not None and Decimal(str(question.weight)) < 0:
        errors["weight"] = [_("A weight cannot be negative.")]
    if question.kind == Question.Kind.TEXT and question.weight:
        errors["weight"] = [_("A free-text question has no score, so it carries no weight.")]
    if question.is_choice:
        labels = [label.strip() for label, _score in options or []]
        if len(labels) < 2:
            errors["options"] = [_("A choice question needs at least two options.")]
        elif len(set(labels)) != len(labels) or not all(labels):
            errors["options"] = [_("Each option needs its own label.")]
        scores = [score for _label, score in options or []]
        if question.weight and all(score is None for score in scores):
            errors["weight"] = [_("Give the options scores, or set the weight to 0.")]
        for score in scores:
            if score is not None and not 0 <= Decimal(str(score)) <= 100:
                errors["options"] = [_("Option scores lie between 0 and 100.")]
    elif options:
        errors["options"] = [_("Only choice questions have options.")]
    if errors:
        raise ValidationError(errors)


def _set_options(question: Question, options: list[OptionSpec]) -> None:
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(
            question=question,
            label=label.strip(),
            order=order,
            score=None if score is None else Decimal(str(score)),
        )
        for order, (label, score) in enumerate(options, start=1)
    )


@transaction.atomic
def question_add(
    *,
    actor,
    section: Section,
    version: int,
    text: str,
    kind: str,
    required: bool = True,
    weight: Decimal | int | float = 0,
    dimension: str = "",
    help_text: str = "",
    options: list[OptionSpec] | None = None,
    request=None,
) -> Question:
    """A question at the end of the section; `options` for choice kinds as (label, score or None)."""
    _check_manager(actor)
    questionnaire = section.questionnaire
    _check_draft(questionnaire)
    last = section.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(
        questionnaire=questionnaire,
        section=section,
        order=last + 1,
        text=text.strip(),
        kind=kind,
        required=required,
        weight=Decimal(str(weight or 0)),
        dimension=dimension.strip(),
        help_text=help_text.strip(),
    )
    question.full_clean()
    _check_question(question, options)
    _claim(questionnaire, version)
    question.save()
    if question.is_choice:
        _set_options(question, options or [])
    _audit(actor, questionnaire, "question_add", request, question=question.text)
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question: Question,
    version: int,
    text: str,
    kind: str,
    required: bool = True,
    weight: Decimal | int | float = 0,
    dimension: str = "",
    help_text: str = "",
    options: list[OptionSpec] | None = None,
    request=None,
) -> Question:
    """Replaces the question's fields and (for choice kinds) its options."""
    _check_manager(actor)
    questionnaire = question.questionnaire
    _check_draft(questionnaire)
    question.text, question.kind, question.required = text.strip(), kind, required
    question.weight = Decimal(str(weight or 0))
    question.dimension, question.help_text = dimension.strip(), help_text.strip()
    question.full_clean()
    _check_question(question, options)
    _claim(questionnaire, version)
    question.save()
    if question.is_choice:
        _set_options(question, options or [])
    else:
        question.options.all().delete()
    _audit(actor, questionnaire, "question_update", request, question=question.text)
    return question


@transaction.atomic
def question_delete(*, actor, question: Question, version: int, request=None) -> None:
    _check_manager(actor)
    questionnaire = question.questionnaire
    _check_draft(questionnaire)
    _claim(questionnaire, version)
    text = question.text
    question.delete()
    _audit(actor, questionnaire, "question_delete", request, question=text)


@transaction.atomic
def questionnaire_reorder(
    *,
    actor,
    questionnaire: Questionnaire,
    version: int,
    sections: list[int] | None = None,
    questions: dict[int, list[int]] | None = None,
    request=None,
) -> None:
    """Set the order: `sections` = section ids in order; `questions` = {section id: question ids in order}.

    A question listed under another section moves there. Ids not of this questionnaire are refused.
    """
    _check_manager(actor)
    _check_draft(questionnaire)
    _claim(questionnaire, version)
    own_sections = {s.pk: s for s in questionnaire.sections.all()}
    own_questions = {q.pk: q for q in questionnaire.questions.all()}
    if sections is not None:
        if set(sections) != set(own_sections):
            raise ValidationError(_("The new order must list every section of the questionnaire once."))
        for order, pk in enumerate(sections, start=1):
            own_sections[pk].order = order
        Section.objects.bulk_update(own_sections.values(), ["order"])
    for section_id, ids in (questions or {}).items():
        if section_id not in own_sections or not set(ids) <= set(own_questions):
            raise ValidationError(_("Questions can only be moved within their questionnaire."))
        for order, pk in enumerate(ids, start=1):
            own_questions[pk].section_id, own_questions[pk].order = section_id, order
    if questions:
        Question.objects.bulk_update(own_questions.values(), ["section", "order"])
    _audit(actor, questionnaire, "reorder", request)


@transaction.atomic
def question_move(*, actor, question: Question, version: int, step: int, request=None) -> None:
    """Move a question one place up (step −1) or down (+1) within its section."""
    siblings = list(question.section.questions.order_by("order", "id").values_list("pk", flat=True))
    i = siblings.index(question.pk)
    j = max(0, min(len(siblings) - 1, i + step))
    siblings[i], siblings[j] = siblings[j], siblings[i]
    questionnaire_reorder(
        actor=actor,
        questionnaire=question.questionnaire,
        version=version,
        questions={question.section_id: siblings},
        request=request,
    )


@transaction.atomic
def section_move(*, actor, section: Section, version: int, step: int, request=None) -> None:
    """Move a section one place up (step −1) or down (+1)."""
    siblings = list(section.questionnaire.sections.order_by("order", "id").values_list("pk", flat=True))
    i = siblings.index(section.pk)
    j = max(0, min(len(siblings) - 1, i + step))
    siblings[i], siblings[j] = siblings[j], siblings[i]
    questionnaire_reorder(
        actor=actor,
        questionnaire=section.questionnaire,
        version=version,
        sections=siblings,
        request=request,
    )
