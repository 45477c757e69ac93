"""The questionnaire builder: drafts are edited, published editions only copied (the next edition)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import Option, Question, Questionnaire, Section
from .common import StaleSurveyData, may_manage_surveys

OptionSpec = tuple[str, Decimal | int | float | None]  # (label, score 0–100 or None)


def _check_manager(actor) -> None:
    if not may_manage_surveys(actor):
        raise PermissionDenied(_("Only supervisors and administrators manage questionnaires."))


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


def _bump(questionnaire: Questionnaire) -> None:
    """Any change of a draft raises its version, so a form opened before it is refused."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(version=F("version") + 1)
    questionnaire.version += 1


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
    updated = Questionnaire.objects.filter(pk=questionnaire.pk, version=version).update(
        title=questionnaire.title, intro=questionnaire.intro, version=F("version") + 1
    )
    if not updated:
        raise StaleSurveyData
    questionnaire.version = version + 1
    _audit(actor, questionnaire, "update", request, title=questionnaire.title)
    return questionnaire


@transaction.atomic
def section_add(*, actor, questionnaire: Questionnaire, title: str, request=None) -> Section:
    _check_manager(actor)
    _check_draft(questionnaire)
    last = questionnaire.sections.aggregate(last=Max("order"))["last"] or 0
    section = Section(questionnaire=questionnaire, title=title.strip(), order=last + 1)
    section.full_clean()
    section.save()
    _bump(questionnaire)
    _audit(actor, questionnaire, "section_add", request, section=section.title)
    return section


@transaction.atomic
def section_update(*, actor, section: Section, title: str, request=None) -> Section:
    _check_manager(actor)
    _check_draft(section.questionnaire)
    section.title = title.strip()
    section.full_clean()
    section.save(update_fields=["title"])
    _bump(section.questionnaire)
    _audit(actor, section.questionnaire, "section_update", request, section=section.title)
    return section


@transaction.atomic
def section_delete(*, actor, section: Section, request=None) -> None:
    """Removes the section with its questions (a draft has no answers)."""
    _check_manager(actor)
    questionnaire = section.questionnaire
    _check_draft(questionnaire)
    title = section.title
    section.delete()
    _bump(questionnaire)
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
    question.save()
    if question.is_choice:
        _set_options(question, options or [])
    _bump(questionnaire)
    _audit(actor, questionnaire, "question_add", request, question=question.text)
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question: Question,
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
    question.save()
    if question.is_choice:
        _set_options(question, options or [])
    else:
        question.options.all().delete()
    _bump(questionnaire)
    _audit(actor, questionnaire, "question_update", request, question=question.text)
    return question


@transaction.atomic
def question_delete(*, actor, question: Question, request=None) -> None:
    _check_manager(actor)
    questionnaire = question.questionnaire
    _check_draft(questionnaire)
    text = question.text
    question.delete()
    _bump(questionnaire)
    _audit(actor, questionnaire, "question_delete", request, question=text)


@transaction.atomic
def questionnaire_reorder(
    *,
    actor,
    questionnaire: Questionnaire,
    sections: list[int] | None = None,
    questions: dict[int, list[int]] | None = None,
    request=None,
) -> None:
    """Set the order: `sections` = section ids in order; `questions` = {section id: question ids in order}.

    A question listed under another section moves there. Ids not of this questionnaire are refused.
    """
    _check_manager(actor)
    _check_draft(questionnaire)
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
    _bump(questionnaire)
    _audit(actor, questionnaire, "reorder", request)


@transaction.atomic
def question_move(*, actor, question: Question, step: int, request=None) -> None:
    """Move a question one place up (step −1) or down (+1) within its section."""
    siblings = list(question.section.questions.order_by("order", "id").values_list("pk", flat=True))
    i = siblings.index(question.pk)
    j = max(0, min(len(siblings) - 1, i + step))
    siblings[i], siblings[j] = siblings[j], siblings[i]
    questionnaire_reorder(
        actor=actor,
        questionnaire=question.questionnaire,
        questions={question.section_id: siblings},
        request=request,
    )


@transaction.atomic
def section_move(*, actor, section: Section, step: int, request=None) -> None:
    """Move a section one place up (step −1) or down (+1)."""
    siblings = list(section.questionnaire.sections.order_by("order", "id").values_list("pk", flat=True))
    i = siblings.index(section.pk)
    j = max(0, min(len(siblings) - 1, i + step))
    siblings[i], siblings[j] = siblings[j], siblings[i]
    questionnaire_reorder(
        actor=actor, questionnaire=section.questionnaire, sections=siblings, request=request
    )


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
def questionnaire_publish(*, actor, questionnaire: Questionnaire, request=None) -> Questionnaire:
    """Publish a draft; earlier published editions of the same code are archived."""
    _check_manager(actor)
    _check_draft(questionnaire)
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
    """Retire an edition: new rounds cannot use it; rounds that did keep their answers."""
    _check_manager(actor)
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


# The default questionnaire (generic enough for every industry). The same shape can come from an
# industry preset (TOML): sections with questions; `kind` one of Question.Kind; `options` either
# labels (no score) or [label, score 0–100] pairs; `required` defaults to true except for text.
DEFAULT_QUESTIONNAIRE = {
    "code": "default",
    "title": "客户满意度调查问卷",
    "intro": "感谢您抽出宝贵时间参与本次满意度调查。您的意见将帮助我们持续改进服务。",
    "sections": [
        {
            "title": "服务评价",
            "questions": [
                {
                    "text": "您对客户经理的服务态度是否满意？",
                    "kind": "rating5",
                    "weight": 25,
                    "dimension": "服务态度",
                },
                {
                    "text": "您对客户经理的专业能力是否满意？",
                    "kind": "rating5",
                    "weight": 25,
                    "dimension": "专业能力",
                },
                {
                    "text": "客户经理对您需求的响应是否及时？",
                    "kind": "rating5",
                    "weight": 20,
                    "dimension": "响应及时性",
                },
                {
                    "text": "您对我们提供的产品是否满意？",
                    "kind": "rating5",
                    "weight": 20,
                    "dimension": "产品满意度",
                },
                {
                    "text": "您与客户经理最常用的联系方式是？",
                    "kind": "single",
                    "required": False,
                    "options": ["上门拜访", "电话", "微信等线上方式", "到网点办理"],
                },
            ],
        },
        {
            "title": "推荐与建议",
            "questions": [
                {
                    "text": "您有多大可能向亲友或合作伙伴推荐我们？",
                    "kind": "nps",
                    "weight": 10,
                    "dimension": "NPS 推荐意愿",
                },
                {"text": "您对我们的服务和产品有什么意见或建议？", "kind": "text", "dimension": "意见建议"},
            ],
        },
    ],
}


def _option_specs(options) -> list[OptionSpec]:
    return [(item, None) if isinstance(item, str) else (item[0], item[1]) for item in options or []]


@transaction.atomic
def questionnaire_default(
    *, actor, spec: dict | None = None, publish: bool = True, request=None
) -> Questionnaire:
    """Build the default questionnaire (服务态度, 专业能力, 响应及时性, 产品满意度, NPS, 意见建议), or the one
    `spec` describes (e.g. an industry preset's, same shape as DEFAULT_QUESTIONNAIRE).

    Idempotent for the demo and first installs: when a published edition of the code exists it is
    returned. `actor` may be None (setup and demo), which skips the manager check.
    """
    spec = spec or DEFAULT_QUESTIONNAIRE
    existing = Questionnaire.objects.filter(code=spec["code"], state=Questionnaire.State.PUBLISHED).first()
    if existing is not None:
        return existing
    last = Questionnaire.objects.filter(code=spec["code"]).aggregate(last=Max("edition"))["last"] or 0
    questionnaire = Questionnaire.objects.create(
        code=spec["code"],
        edition=last + 1,
        title=spec["title"],
        intro=spec.get("intro", ""),
        created_by=actor,
    )
    for s_order, section_spec in enumerate(spec["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire, title=section_spec["title"], order=s_order
        )
        for q_order, q in enumerate(section_spec["questions"], start=1):
            question = Question(
                questionnaire=questionnaire,
                section=section,
                order=q_order,
                text=q["text"],
                kind=q["kind"],
                required=q.get("required", q["kind"] != Question.Kind.TEXT),
                weight=Decimal(str(q.get("weight", 0))),
                dimension=q.get("dimension", ""),
                help_text=q.get("help_text", ""),
            )
            options = _option_specs(q.get("options"))
            question.full_clean()
            _check_question(question, options if question.is_choice else None)
            question.save()
            if options:
                _set_options(question, options)
    _audit(actor, questionnaire, "create_default", request)
    if publish:
        problems = questionnaire_problems(questionnaire)
        if problems:
            raise ValidationError(problems)
        questionnaire.state, questionnaire.published_at = Questionnaire.State.PUBLISHED, timezone.now()
        questionnaire.save(update_fields=["state", "published_at"])
        _audit(actor, questionnaire, "publish", request)
    return questionnaire
