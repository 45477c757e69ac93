"""The questionnaire builder: validation, ordering, publishing and copying to a new edition."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.core.models import AuditEntry
from amdesk.surveys.models import Question, Questionnaire
from amdesk.surveys.services import (
    StaleSurveyData,
    question_add,
    question_delete,
    question_move,
    question_update,
    questionnaire_archive,
    questionnaire_copy,
    questionnaire_create,
    questionnaire_default,
    questionnaire_problems,
    questionnaire_publish,
    questionnaire_reorder,
    questionnaire_update,
    section_add,
    section_delete,
    section_move,
    section_update,
)

from .factories import make_questionnaire

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def draft(supervisor):
    questionnaire = questionnaire_create(actor=supervisor, title="2026 满意度问卷")
    section = section_add(actor=supervisor, questionnaire=questionnaire, version=1, title="服务")
    return questionnaire, section


def v(questionnaire) -> int:
    """The questionnaire's current version, as a freshly loaded builder page shows it."""
    questionnaire.refresh_from_db(fields=["version"])
    return questionnaire.version


def test_account_manager_cannot_build(account_manager):
    with pytest.raises(PermissionDenied):
        questionnaire_create(actor=account_manager, title="问卷")


def test_publish_needs_a_weighted_rated_question(draft, supervisor, admin):
    questionnaire, section = draft
    question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="意见",
        kind=K.TEXT,
        required=False,
    )
    question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="态度",
        kind=K.RATING_5,
        weight=0,
    )
    assert questionnaire_problems(questionnaire)
    with pytest.raises(ValidationError):
        questionnaire_publish(actor=admin, questionnaire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.state == Questionnaire.State.DRAFT
    # a weight makes it publishable
    rated = questionnaire.questions.get(text="态度")
    question_update(
        actor=supervisor, version=v(questionnaire), question=rated, text="态度", kind=K.RATING_5, weight=2
    )
    questionnaire_publish(actor=admin, questionnaire=questionnaire)
    assert questionnaire.state == Questionnaire.State.PUBLISHED


def test_empty_questionnaire_and_empty_section_are_not_published(draft, supervisor):
    questionnaire, _section = draft
    problems = questionnaire_problems(questionnaire)
    assert len(problems) >= 2  # no questions; the section is empty; no weighted question


def test_weights_cannot_be_negative(draft, supervisor):
    _questionnaire, section = draft
    with pytest.raises(ValidationError) as error:
        question_add(
            actor=supervisor,
            version=v(section.questionnaire),
            section=section,
            text="态度",
            kind=K.RATING_5,
            weight=-1,
        )
    assert "weight" in error.value.message_dict


@pytest.mark.parametrize(
    ("kind", "options", "weight"),
    [
        (K.SINGLE, [("是", None)], 0),  # one option only
        (K.MULTIPLE, [("甲", None), ("甲", None)], 0),  # same label twice
        (K.SINGLE, [("满意", None), ("不满意", None)], 1),  # weighted but no option has a score
        (K.SINGLE, [("满意", 120), ("不满意", 0)], 1),  # score over 100
        (K.RATING_5, [("满意", 100), ("不满意", 0)], 1),  # options on a rating
        (K.TEXT, None, 1),  # a text cannot count
    ],
)
def test_question_rules(draft, supervisor, kind, options, weight):
    _questionnaire, section = draft
    with pytest.raises(ValidationError):
        question_add(
            actor=supervisor,
            version=v(section.questionnaire),
            section=section,
            text="题目",
            kind=kind,
            weight=weight,
            options=options,
        )


def test_scored_choice_counts_for_publishing(draft, supervisor):
    questionnaire, section = draft
    question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="总体评价",
        kind=K.SINGLE,
        weight=1,
        options=[("满意", 100), ("一般", 60), ("不满意", 0)],
    )
    assert questionnaire_problems(questionnaire) == []


def test_published_questionnaire_is_not_edited_in_place(supervisor, admin):
    questionnaire = make_questionnaire(supervisor, publisher=admin)
    section = questionnaire.sections.first()
    question = questionnaire.questions.first()
    for change in (
        lambda: section_add(
            actor=supervisor, version=v(questionnaire), questionnaire=questionnaire, title="新"
        ),
        lambda: question_add(
            actor=supervisor,
            version=v(section.questionnaire),
            section=section,
            text="新题",
            kind=K.RATING_5,
            weight=1,
        ),
        lambda: question_update(
            actor=supervisor,
            version=v(questionnaire),
            question=question,
            text="改",
            kind=K.RATING_5,
            weight=1,
        ),
        lambda: question_delete(actor=supervisor, version=v(questionnaire), question=question),
        lambda: section_delete(actor=supervisor, version=v(questionnaire), section=section),
        lambda: questionnaire_update(
            actor=supervisor, questionnaire=questionnaire, version=questionnaire.version, title="改"
        ),
    ):
        with pytest.raises(ValidationError):
            change()


def test_copy_makes_the_next_edition_and_publishing_it_archives_the_old(supervisor, admin):
    first = make_questionnaire(supervisor, publisher=admin)
    second = questionnaire_copy(actor=supervisor, questionnaire=first)
    assert (second.code, second.edition, second.state) == (first.code, 2, Questionnaire.State.DRAFT)
    assert [q.text for q in second.questions.order_by("section__order", "order")] == [
        q.text for q in first.questions.order_by("section__order", "order")
    ]
    choice = second.questions.get(kind=K.SINGLE)
    assert [(o.label, o.score) for o in choice.options.all()] == [("上门", 100), ("电话", 50)]
    # the copy is a draft, so it can be changed; the original keeps its questions
    question_delete(actor=supervisor, version=v(second), question=choice)
    assert first.questions.filter(kind=K.SINGLE).exists()
    questionnaire_publish(actor=admin, questionnaire=second)
    first.refresh_from_db()
    assert first.state == Questionnaire.State.ARCHIVED


def test_reorder_and_move(draft, supervisor):
    questionnaire, section = draft
    a = question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="甲",
        kind=K.RATING_5,
        weight=1,
    )
    b = question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="乙",
        kind=K.RATING_5,
        weight=1,
    )
    c = question_add(
        actor=supervisor,
        version=v(section.questionnaire),
        section=section,
        text="丙",
        kind=K.RATING_5,
        weight=1,
    )
    question_move(actor=supervisor, version=v(questionnaire), question=c, step=-1)
    assert list(section.questions.order_by("order").values_list("text", flat=True)) == ["甲", "丙", "乙"]
    other = section_add(actor=supervisor, version=v(questionnaire), questionnaire=questionnaire, title="其他")
    section_move(actor=supervisor, version=v(questionnaire), section=other, step=-1)
    assert list(questionnaire.sections.order_by("order").values_list("title", flat=True)) == ["其他", "服务"]
    questionnaire_reorder(
        actor=supervisor,
        version=v(questionnaire),
        questionnaire=questionnaire,
        questions={other.pk: [b.pk], section.pk: [a.pk, c.pk]},
    )
    b.refresh_from_db()
    assert b.section_id == other.pk
    with pytest.raises(ValidationError):
        questionnaire_reorder(
            actor=supervisor, version=v(questionnaire), questionnaire=questionnaire, sections=[section.pk]
        )


def test_stale_title_edit_is_refused(draft, supervisor):
    questionnaire, _section = draft
    seen = questionnaire.version
    questionnaire_update(actor=supervisor, questionnaire=questionnaire, version=seen, title="甲")
    with pytest.raises(StaleSurveyData):
        questionnaire_update(actor=supervisor, questionnaire=questionnaire, version=seen, title="乙")


def test_builder_changes_are_audited(draft, supervisor):
    questionnaire, _section = draft
    actions = list(
        AuditEntry.objects.filter(
            event="survey.questionnaire_changed", target_id=str(questionnaire.pk)
        ).values_list("detail__action", flat=True)
    )
    assert actions == ["section_add", "create"]


def test_default_questionnaire(db):
    questionnaire = questionnaire_default(actor=None)
    assert questionnaire.state == Questionnaire.State.PUBLISHED
    dimensions = set(questionnaire.questions.values_list("dimension", flat=True))
    assert {"服务态度", "专业能力", "响应及时性", "产品满意度", "NPS 推荐意愿", "意见建议"} <= dimensions
    assert questionnaire_problems(questionnaire) == []
    # idempotent
    assert questionnaire_default(actor=None).pk == questionnaire.pk


def test_questionnaire_from_a_preset_spec(db):
    spec = {
        "code": "tobacco",
        "title": "零售客户满意度调查",
        "sections": [
            {
                "title": "服务",
                "questions": [
                    {
                        "text": "送货及时吗？",
                        "kind": "single",
                        "weight": 1,
                        "options": [["及时", 100], ["不及时", 0]],
                    },
                    {"text": "建议", "kind": "text"},
                ],
            }
        ],
    }
    questionnaire = questionnaire_default(actor=None, spec=spec)
    assert questionnaire.code == "tobacco" and questionnaire.state == Questionnaire.State.PUBLISHED
    choice = questionnaire.questions.get(kind=K.SINGLE)
    assert [(o.label, o.score) for o in choice.options.all()] == [("及时", 100), ("不及时", 0)]
    assert questionnaire.questions.get(kind=K.TEXT).required is False
    with pytest.raises(ValidationError):  # nothing weighted: not publishable
        questionnaire_default(
            actor=None,
            spec={
                "code": "bad",
                "title": "坏",
                "sections": [{"title": "甲", "questions": [{"text": "意见", "kind": "text"}]}],
            },
        )


def test_every_builder_change_is_made_on_the_version_shown(draft, supervisor):
    # Given a page shown at some version, and a question added from it
    questionnaire, section = draft
    seen = v(questionnaire)
    question = question_add(
        actor=supervisor, version=seen, section=section, text="态度", kind=K.RATING_5, weight=1
    )
    # When another change is sent from the same (now older) page, it is refused, whatever it is
    stale_changes = (
        lambda: section_update(actor=supervisor, section=section, version=seen, title="改"),
        lambda: question_update(
            actor=supervisor, question=question, version=seen, text="改", kind=K.RATING_5, weight=2
        ),
        lambda: question_delete(actor=supervisor, question=question, version=seen),
        lambda: section_add(actor=supervisor, questionnaire=questionnaire, version=seen, title="新"),
        lambda: question_move(actor=supervisor, question=question, version=seen, step=1),
        lambda: section_delete(actor=supervisor, section=section, version=seen),
    )
    for change in stale_changes:
        with pytest.raises(StaleSurveyData):
            change()
    # and a change without a version is a programming error, never "the current one"
    with pytest.raises(TypeError):
        question_update(actor=supervisor, question=question, text="改", kind=K.RATING_5, weight=2)
    question.refresh_from_db()
    assert (question.text, question.weight) == ("态度", 1)
    assert questionnaire.sections.count() == 1
    # Then the current version works
    section_update(actor=supervisor, section=section, version=v(questionnaire), title="服务质量")


def test_only_administrators_publish_and_archive(draft, supervisor, admin):
    questionnaire, section = draft
    question_add(
        actor=supervisor, version=v(questionnaire), section=section, text="态度", kind=K.RATING_5, weight=1
    )
    # A supervisor drafts, but questionnaires serve the whole organisation: he neither publishes…
    with pytest.raises(PermissionDenied):
        questionnaire_publish(actor=supervisor, questionnaire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.state == Questionnaire.State.DRAFT
    questionnaire_publish(actor=admin, questionnaire=questionnaire)
    # … nor archives
    with pytest.raises(PermissionDenied):
        questionnaire_archive(actor=supervisor, questionnaire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.state == Questionnaire.State.PUBLISHED
    # A role given the permission in the admin may
    from django.contrib.auth.models import Permission

    supervisor.roles.get(code="supervisor").permissions.add(
        Permission.objects.get(codename="publish_questionnaire")
    )
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)  # a fresh permission cache
    questionnaire_archive(actor=supervisor, questionnaire=questionnaire)
    assert questionnaire.state == Questionnaire.State.ARCHIVED
