"""The second review: only overseers run rounds and answer for another AM's clients (product and
risk managers, lending officers, the service desk and the appraisal admin only read), no developer
comment on the builder page, survey wording of its own, overdue improvement actions flagged, low
scorers with too few responses listed, and a link's last valid day shown as the round's closing day."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from amdesk.surveys.models import ImprovementAction, SurveyInvitation, SurveySettings
from amdesk.surveys.selectors import low_scorers, survey_desk
from amdesk.surveys.services import (
    improvement_action_review,
    may_manage_surveys,
    may_review_action,
    survey_answer_record,
    survey_link_issue,
    survey_links_issue,
    survey_round_close,
    survey_round_create,
    survey_round_open,
)
from tests.clients.factories import make_client
from tests.desk.cards import card_html
from tests.orgs.factories import StaffFactory

from .factories import answer, invitation_of, make_questionnaire, make_round, questions_of

pytestmark = pytest.mark.django_db

# Role codes of presets/common.toml whose scope is wider than their own records but who do not
# oversee account managers.
READERS = ["product_manager", "risk_manager", "lending_officer", "service_desk", "appraisal_admin"]


@pytest.fixture
def readers(org, appraisal_admin):
    """One user per reading role: the product manager in the AM's team, the others at his outlet."""
    made = {
        "product_manager": StaffFactory(username="pm", org_node=org.tm1, roles=["product_manager"]),
        "risk_manager": StaffFactory(username="risk", org_node=org.ot1, roles=["risk_manager"]),
        "lending_officer": StaffFactory(username="lend", org_node=org.ot1, roles=["lending_officer"]),
        "service_desk": StaffFactory(username="desk", org_node=org.ot1, roles=["service_desk"]),
        "appraisal_admin": appraisal_admin,
    }
    assert list(made) == READERS
    return made


@pytest.fixture
def survey(admin, account_manager):
    """An open round over the AM's two key clients (team 1)."""
    clients = [make_client(account_manager, name, tier="key") for name in ("王小明", "陈大华")]
    survey_round = make_round(admin)
    return survey_round, [invitation_of(survey_round, client) for client in clients]


def _answers(invitation):
    questions = questions_of(invitation.round.questionnaire)
    return {questions["服务态度"].pk: 5, questions["专业能力"].pk: 10, questions["推荐意愿"].pk: 9}


# 1. Who runs rounds and who records answers


@pytest.mark.parametrize("role", READERS)
def test_reading_roles_neither_run_rounds_nor_record_answers(role, readers, survey, admin, org):
    user = readers[role]
    survey_round, (invitation, _other) = survey
    # They see the invitation (their scope holds it)…
    assert SurveyInvitation.objects.filter(pk=invitation.pk).exists()
    assert not may_manage_surveys(user)
    # …but create, open and close no round
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        survey_round_create(
            actor=user,
            questionnaire=survey_round.questionnaire,
            name="越权调查",
            period_start=today,
            period_end=today,
            opens_on=today,
            closes_on=today,
            org_node=org.tm1,
        )
    draft = make_round(
        admin, survey_round.questionnaire, open_it=False, start=today.replace(day=1) - timedelta(days=200)
    )
    with pytest.raises(PermissionDenied):
        survey_round_open(actor=user, survey_round=draft)
    with pytest.raises(PermissionDenied):
        survey_round_close(actor=user, survey_round=survey_round)
    # and record no answers and issue no link for the AM's client
    with pytest.raises(PermissionDenied):
        survey_answer_record(actor=user, invitation=invitation, answers=_answers(invitation))
    with pytest.raises(PermissionDenied):
        survey_link_issue(actor=user, invitation=invitation)
    assert survey_links_issue(actor=user, survey_round=survey_round) == []
    invitation.refresh_from_db()
    assert invitation.state == SurveyInvitation.State.PENDING and not invitation.token_hash


@pytest.mark.parametrize("overseer", ["supervisor", "branch_head", "admin"])
def test_the_am_and_his_overseers_record_answers(overseer, request, survey, account_manager):
    _round, (first, second) = survey
    assert survey_answer_record(actor=account_manager, invitation=first, answers=_answers(first))
    user = request.getfixturevalue(overseer)
    assert may_manage_surveys(user)
    assert survey_answer_record(actor=user, invitation=second, answers=_answers(second))


def test_a_product_manager_does_not_review_improvement_actions(readers, admin, account_manager, supervisor):
    clients = [make_client(account_manager, f"客户{i}", tier="key") for i in range(3)]
    survey_round = make_round(admin)
    for client in clients:
        answer(invitation_of(survey_round, client), rating5=1, rating10=1, nps=2)
    survey_round_close(actor=admin, survey_round=survey_round)
    action = ImprovementAction.objects.get(owner=account_manager)
    ImprovementAction.objects.filter(pk=action.pk).update(state=ImprovementAction.State.SUBMITTED)
    action.refresh_from_db()
    pm = readers["product_manager"]
    assert not may_review_action(pm, action) and may_review_action(supervisor, action)
    with pytest.raises(PermissionDenied):
        improvement_action_review(actor=pm, action=action, version=action.version, accept=True)


def test_pages_refuse_reading_roles_and_hide_the_buttons(readers, survey, admin, client_for):
    survey_round, (invitation, _other) = survey
    draft = make_round(
        admin,
        survey_round.questionnaire,
        open_it=False,
        start=timezone.localdate().replace(day=1) - timedelta(days=200),
    )
    for role, user in readers.items():
        page = client_for(user)
        home = page.get("/surveys/").content.decode()
        # the figures of their scope, without the managers' links
        assert 'data-testid="index-card"' in home, role
        assert "/surveys/rounds/new/" not in home and 'data-testid="questionnaires-link"' not in home, role
        assert 'data-testid="round-new"' not in page.get("/surveys/rounds/").content.decode(), role
        assert page.get("/surveys/rounds/new/").status_code == 403, role
        assert page.post(f"/surveys/rounds/{draft.pk}/open/").status_code == 404, role
        assert page.post(f"/surveys/rounds/{survey_round.pk}/close/").status_code == 404, role
        detail = page.get(f"/surveys/rounds/{survey_round.pk}/").content.decode()
        assert 'data-testid="round-close"' not in detail, role
        # the invitation: seen, not answered, no link
        url = f"/surveys/invitations/{invitation.pk}/"
        shown = page.get(url)
        assert shown.status_code == 200, role
        html = shown.content.decode()
        assert 'data-testid="record-form"' not in html and 'data-testid="issue-link"' not in html, role
        assert 'data-testid="not-yours"' in html, role
        posted = page.post(url, {"mode": "visit", **{f"q{k}": v for k, v in _answers(invitation).items()}})
        assert posted.status_code == 403, role
        assert page.post(f"{url}link/").status_code == 403, role
        api = APIClient()
        api.force_authenticate(user)
        body = {
            "mode": "visit",
            "answers": [{"question": q, "number": n} for q, n in _answers(invitation).items()],
        }
        response = api.post(f"/api/v1/survey-invitations/{invitation.pk}/answers/", body, format="json")
        assert response.status_code == 403, role
    invitation.refresh_from_db()
    assert invitation.state == SurveyInvitation.State.PENDING and not invitation.token_hash
    survey_round.refresh_from_db()
    assert survey_round.state == survey_round.State.OPEN


def test_the_supervisor_still_sees_the_buttons(survey, supervisor, client_for):
    survey_round, (invitation, _other) = survey
    page = client_for(supervisor)
    home = page.get("/surveys/").content.decode()
    assert 'data-testid="home-round-new"' in home and 'data-testid="questionnaires-link"' in home
    html = page.get(f"/surveys/invitations/{invitation.pk}/").content.decode()
    assert 'data-testid="record-form"' in html and 'data-testid="issue-link"' in html


# 2. No developer comment on the page


def test_the_builder_page_shows_no_template_comment(supervisor, admin, client_for):
    questionnaire = make_questionnaire(supervisor, publisher=admin)
    html = client_for(supervisor).get(f"/surveys/questionnaires/{questionnaire.pk}/").content.decode()
    assert 'data-testid="structure"' in html
    assert "move buttons swap this block" not in html and "{#" not in html


# 3. Wording of its own


def test_survey_pages_do_not_borrow_other_apps_wording(admin, account_manager, client_for):
    clients = [make_client(account_manager, f"客户{i}", tier="key") for i in range(3)]
    survey_round = make_round(admin)
    for client in clients:
        answer(invitation_of(survey_round, client), rating5=1, rating10=1, nps=2)
    survey_round_close(actor=admin, survey_round=survey_round)
    page = client_for(account_manager)
    actions = page.get("/surveys/actions/").content.decode()
    assert "应检日期" not in actions  # the loan inspection's "due on"
    assert "开放期" not in actions  # the round's opening dates, not the button that opens an action
    book = load_workbook(io.BytesIO(page.get(f"/surveys/report/export/?round={survey_round.pk}").content))
    assert "题数" not in book.sheetnames  # a count of questions, not the scores per question
    assert len(book.sheetnames) == 4


# 4. Overdue improvement actions


def _actions(admin, account_manager, team2_manager):
    """Two closed-round actions: the AM's past its due date and still open, his teammate's submitted
    past its due date (waiting for the supervisor: not the AM's delay)."""
    for owner in (account_manager, team2_manager):
        for i in range(3):
            make_client(owner, f"{owner.username}客户{i}", tier="key")
    survey_round = make_round(admin)
    for invitation in SurveyInvitation.objects.filter(round=survey_round):
        answer(invitation, rating5=1, rating10=1, nps=2)
    survey_round_close(actor=admin, survey_round=survey_round)
    yesterday = timezone.localdate() - timedelta(days=1)
    late = ImprovementAction.objects.get(owner=account_manager)
    waiting = ImprovementAction.objects.get(owner=team2_manager)
    ImprovementAction.objects.filter(pk=late.pk).update(due_on=yesterday)
    ImprovementAction.objects.filter(pk=waiting.pk).update(
        due_on=yesterday, state=ImprovementAction.State.SUBMITTED
    )
    return late, waiting


def test_overdue_actions_are_flagged_for_the_am(admin, account_manager, team2_manager, client_for):
    late, waiting = _actions(admin, account_manager, team2_manager)
    page = client_for(account_manager)
    marker = f'data-testid="overdue-{late.pk}"'
    assert marker in page.get("/surveys/actions/").content.decode()
    assert marker in page.get(f"/surveys/actions/{late.pk}/").content.decode()
    assert marker in page.get("/surveys/").content.decode()
    # a submitted action is not late on the AM's side
    assert (
        f'data-testid="overdue-{waiting.pk}"'
        not in client_for(team2_manager).get("/surveys/actions/").content.decode()
    )


def test_the_supervisor_sees_how_many_actions_are_overdue(
    admin, account_manager, team2_manager, supervisor, other_supervisor, client_for
):
    late, _waiting = _actions(admin, account_manager, team2_manager)
    desk = survey_desk(viewer=supervisor)
    assert desk["team_overdue"] == 1
    assert survey_desk(viewer=other_supervisor)["team_overdue"] == 0  # not his AMs
    assert survey_desk(viewer=account_manager)["team_overdue"] == 0
    card = card_html("team_surveys", supervisor)
    assert 'data-testid="surveys-team-overdue">1<' in card and "/surveys/actions/?overdue=1" in card
    page = client_for(supervisor)
    assert 'data-testid="team-overdue"' in page.get("/surveys/").content.decode()
    listed = page.get("/surveys/actions/?overdue=1")
    assert [action.pk for action in listed.context["actions"]] == [late.pk]
    # the core desk shows the card
    assert 'data-testid="surveys-team-overdue"' in page.get("/").content.decode()


# 5. Low scorers with too few responses


def test_a_low_scorer_with_too_few_responses_is_listed_and_marked(
    admin, account_manager, supervisor, client_for
):
    SurveySettings.objects.update_or_create(
        pk=1, defaults={"low_score_threshold": 70, "min_responses_for_action": 3}
    )
    client = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=1, rating10=1, nps=2)
    rows = low_scorers(viewer=supervisor, survey_round=survey_round)
    assert [(row.label, row.too_few) for row in rows] == [(account_manager.full_name, True)]
    html = client_for(supervisor).get("/surveys/").content.decode()
    assert f'data-testid="too-few-{account_manager.pk}"' in html
    # closing asks no action of him: too few responses
    assert survey_round_close(actor=admin, survey_round=survey_round) == 0


# 6. The link's last valid day


def test_the_link_shows_the_rounds_closing_day_as_its_last(admin, account_manager, client_for):
    SurveySettings.objects.update_or_create(pk=1, defaults={"link_valid_days": 180})
    client = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    invitation = invitation_of(survey_round, client)
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    closes, day_after = survey_round.closes_on, survey_round.closes_on + timedelta(days=1)
    # The link stops at 00:00 the day after closing: shown as the closing day's last minute
    assert timezone.localtime(invitation.expires_at).date() == day_after
    last = f"{closes:%Y-%m-%d} 23:59"
    staff = client_for(account_manager).get(f"/surveys/invitations/{invitation.pk}/").content.decode()
    assert last in staff and f"{day_after:%Y-%m-%d}" not in staff
    public = client_for(account_manager).get(f"/surveys/a/{token}/").content.decode()
    assert last in public and f"{day_after:%Y-%m-%d}" not in public
    issued = client_for(account_manager).post(f"/surveys/invitations/{invitation.pk}/link/").content.decode()
    assert last in issued and f"{day_after:%Y-%m-%d}" not in issued
