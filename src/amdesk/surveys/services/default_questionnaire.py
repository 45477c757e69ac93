"""The default questionnaire (服务态度, 专业能力, 响应及时性, 产品满意度, NPS, 意见建议), built for first
installs and the demo, or any questionnaire an industry preset describes in the same shape."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..models import Question, Questionnaire, Section
from .editions import questionnaire_problems
from .questionnaires import OptionSpec, _audit, _check_question, _set_options

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
