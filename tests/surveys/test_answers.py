"""Answering: recorded by the AM, or by the client on a one-time link (single use, expiry, validation)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.core.models import AuditEntry
from amdesk.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from amdesk.surveys.services import (
    SurveyLinkInvalid,
    field_name,
    invitation_for_token,
    survey_answer_by_token,
    survey_answer_record,
    survey_link_issue,
    survey_round_close,
    token_hash,
)
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_round, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(admin, account_manager):
    client = make_client(account_manager, name="王五", tier="key", lifecycle="won")
    survey_round = make_round(admin)
    return survey_round, invitation_of(survey_round, client)


def test_manager_records_answers_and_index_is_stored(setup, account_manager):
    survey_round, invitation = setup
    response = answer(invitation, rating5=5, rating10=1, nps=10, text="服务很好")
    # (3·100 + 1·0) / (3 + 1)
    assert response.index == 75
    assert response.nps == 10
    assert response.recorded_by == account_manager
    assert response.client_tier.code == "key"
    invitation.refresh_from_db()
    assert invitation.state == SurveyInvitation.State.ANSWERED
    assert SurveyAnswer.objects.filter(response=response).count() == 4
    assert AuditEntry.objects.filter(event="survey.answered", target_id=str(response.pk)).exists()


def test_second_answer_is_refused(setup):
    _round, invitation = setup
    answer(invitation)
    with pytest.raises(ValidationError):
        answer(invitation)
    assert SurveyResponse.objects.count() == 1


def test_other_manager_cannot_record(setup, other_manager, supervisor):
    _round, invitation = setup
    with pytest.raises(PermissionDenied):
        answer(invitation, actor=other_manager)
    # the supervisor of the team may (e.g. a phone call he made himself)
    assert answer(invitation, actor=supervisor, mode="phone").mode == "phone"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("服务态度", 6),
        ("服务态度", 0),
        ("服务态度", "abc"),
        ("专业能力", 11),
        ("推荐意愿", -1),
        ("联系方式", 999999),
        ("联系方式", ["1", "2"]),
    ],
)
def test_answer_validation_per_type(setup, question, value):
    _round, invitation = setup
    questions = questions_of(invitation.round.questionnaire)
    answers = {questions["服务态度"].pk: 4, questions["专业能力"].pk: 8, questions["推荐意愿"].pk: 9}
    answers[questions[question].pk] = value
    with pytest.raises(ValidationError) as error:
        survey_answer_record(actor=invitation.owner, invitation=invitation, answers=answers)
    assert field_name(questions[question]) in error.value.message_dict


def test_required_questions_are_named_in_the_errors(setup):
    _round, invitation = setup
    questions = questions_of(invitation.round.questionnaire)
    with pytest.raises(ValidationError) as error:
        survey_answer_record(actor=invitation.owner, invitation=invitation, answers={})
    keys = set(error.value.message_dict)
    assert keys == {field_name(questions[t]) for t in ("服务态度", "专业能力", "推荐意愿")}


def test_scored_choice_and_text(setup):
    _round, invitation = setup
    questions = questions_of(invitation.round.questionnaire)
    contact = questions["联系方式"]
    phone = contact.options.get(label="电话")
    response = survey_answer_record(
        actor=invitation.owner,
        invitation=invitation,
        answers={
            str(questions["服务态度"].pk): "3",
            questions["专业能力"].pk: 10,
            questions["推荐意愿"].pk: 0,
            contact.pk: str(phone.pk),
            questions["意见建议"].pk: "  希望多来几次  ",
        },
        mode="phone",
    )
    chosen = response.answers.get(question=contact)
    assert list(chosen.options.all()) == [phone]
    assert chosen.score == 50
    assert response.answers.get(question=questions["意见建议"]).text == "希望多来几次"
    # (3·50 + 1·100) / 4; the choice has weight 0 and does not count
    assert response.index == 62.5


def test_link_answers_once(setup, account_manager):
    _round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    invitation.refresh_from_db()
    # only the hash is stored
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation_for_token(token).pk == invitation.pk
    questions = questions_of(invitation.round.questionnaire)
    answers = {questions["服务态度"].pk: 4, questions["专业能力"].pk: 7, questions["推荐意愿"].pk: 8}
    response = survey_answer_by_token(token=token, answers=answers)
    assert response.mode == SurveyResponse.Mode.LINK and response.recorded_by is None
    with pytest.raises(SurveyLinkInvalid) as error:
        survey_answer_by_token(token=token, answers=answers)
    assert error.value.code == SurveyLinkInvalid.USED
    assert SurveyResponse.objects.count() == 1


def test_wrong_token(setup, account_manager):
    _round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    for wrong in ("", "x", token[:-1], token + "x", "a" * 500):
        with pytest.raises(SurveyLinkInvalid) as error:
            invitation_for_token(wrong)
        assert error.value.code == SurveyLinkInvalid.UNKNOWN


def test_reissued_link_replaces_the_old_one(setup, account_manager):
    _round, invitation = setup
    old = survey_link_issue(actor=account_manager, invitation=invitation)
    new = survey_link_issue(actor=account_manager, invitation=invitation)
    with pytest.raises(SurveyLinkInvalid):
        invitation_for_token(old)
    assert invitation_for_token(new).pk == invitation.pk


def test_link_expires(setup, account_manager, time_machine):
    _round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    invitation.refresh_from_db()
    time_machine.move_to(invitation.expires_at + timedelta(seconds=1))
    with pytest.raises(SurveyLinkInvalid) as error:
        survey_answer_by_token(token=token, answers={})
    assert error.value.code == SurveyLinkInvalid.EXPIRED


def test_link_stops_when_round_closes(setup, account_manager, admin):
    survey_round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    survey_round_close(actor=admin, survey_round=survey_round)
    with pytest.raises(SurveyLinkInvalid) as error:
        invitation_for_token(token)
    assert error.value.code == SurveyLinkInvalid.CLOSED


def test_link_issue_outside_scope_refused(setup, other_manager):
    _round, invitation = setup
    with pytest.raises(PermissionDenied):
        survey_link_issue(actor=other_manager, invitation=invitation)


def test_link_issue_is_audited(setup, account_manager):
    survey_round, invitation = setup
    survey_link_issue(actor=account_manager, invitation=invitation)
    assert AuditEntry.objects.filter(event="survey.links_issued", target_id=str(survey_round.pk)).exists()


def test_links_for_all_pending_invitations_of_the_manager(admin, account_manager, team2_manager):
    from amdesk.surveys.services import survey_links_issue

    mine = [make_client(account_manager, name=f"甲{i}", tier="key", lifecycle="won") for i in range(3)]
    make_client(team2_manager, name="乙", tier="key", lifecycle="won")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, mine[0]))
    issued = survey_links_issue(actor=account_manager, survey_round=survey_round)
    assert sorted(i.client_id for i, _token in issued) == sorted(c.pk for c in mine[1:])
    tokens = {token for _i, token in issued}
    assert len(tokens) == 2
    assert {invitation_for_token(t).client_id for t in tokens} == {c.pk for c in mine[1:]}
    assert AuditEntry.objects.get(event="survey.links_issued").detail["count"] == 2


def test_answers_from_a_posted_form(setup):
    from django.http import QueryDict

    from amdesk.surveys.services import answers_from_data

    _round, invitation = setup
    questions = questions_of(invitation.round.questionnaire)
    ordered = list(invitation.round.questionnaire.questions.all())
    data = QueryDict(mutable=True)
    data[field_name(questions["服务态度"])] = "4"
    data.setlist(field_name(questions["联系方式"]), [str(questions["联系方式"].options.first().pk)])
    answers = answers_from_data(ordered, data)
    assert answers[questions["服务态度"].pk] == "4"
    assert answers[questions["意见建议"].pk] is None


def test_desk_lists_pending_invitations_and_open_actions(setup, account_manager, team2_manager):
    from amdesk.surveys.selectors import survey_desk

    _round, invitation = setup
    desk = survey_desk(viewer=account_manager)
    assert desk["pending_count"] == 1 and desk["pending"] == [invitation] and desk["actions"] == []
    assert survey_desk(viewer=team2_manager)["pending_count"] == 0


def test_no_answers_after_the_rounds_last_day(setup, account_manager, time_machine):
    from datetime import datetime, time

    from django.utils import timezone

    survey_round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    # The day after the last one, before the daily job has closed the round
    day_after = datetime.combine(survey_round.closes_on + timedelta(days=1), time(9))
    time_machine.move_to(timezone.make_aware(day_after))
    survey_round.refresh_from_db()
    assert survey_round.state == "open"
    with pytest.raises(ValidationError):
        answer(invitation)
    with pytest.raises(SurveyLinkInvalid) as error:
        survey_answer_by_token(token=token, answers={})
    assert error.value.code == SurveyLinkInvalid.CLOSED
    with pytest.raises(ValidationError):
        survey_link_issue(actor=account_manager, invitation=invitation)
    assert not SurveyResponse.objects.exists()


def test_the_second_of_two_submissions_finds_the_link_used(setup, account_manager):
    _round, invitation = setup
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    questions = questions_of(invitation.round.questionnaire)
    answers = {questions["服务态度"].pk: 4, questions["专业能力"].pk: 7, questions["推荐意愿"].pk: 8}
    # Both saw the link unused…
    assert invitation_for_token(token).state == SurveyInvitation.State.PENDING
    survey_answer_by_token(token=token, answers=answers)
    # …the second locks the invitation (select_for_update) and finds it answered
    with pytest.raises(SurveyLinkInvalid) as error:
        survey_answer_by_token(token=token, answers=answers)
    assert error.value.code == SurveyLinkInvalid.USED
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1
