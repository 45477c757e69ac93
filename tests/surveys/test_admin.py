"""Admin: the survey settings (one row, audited), questionnaires read-only once published, rounds."""

from datetime import timedelta

import pytest
from django.test import Client as Browser

from amdesk.core.models import AuditEntry
from amdesk.surveys.models import ImprovementAction, Question, SurveyRound, SurveySettings
from amdesk.surveys.services import survey_round_close
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(admin):
    browser = Browser()
    browser.force_login(admin)
    return browser


@pytest.fixture
def data(admin, account_manager):
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 1})
    client = make_client(account_manager, tier="key", lifecycle="won")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=1, rating10=1)
    survey_round_close(actor=admin, survey_round=survey_round)
    return survey_round


def test_the_admin_pages_load(operator, data):
    questionnaire = data.questionnaire
    question = questionnaire.questions.filter(kind=Question.Kind.SINGLE).first()
    draft = make_questionnaire(data.created_by, publish=False)
    action = ImprovementAction.objects.get()
    invitation = data.invitations.first()
    pages = [
        "/admin/surveys/",
        "/admin/surveys/questionnaire/",
        "/admin/surveys/questionnaire/add/",
        f"/admin/surveys/questionnaire/{questionnaire.pk}/change/",
        f"/admin/surveys/questionnaire/{draft.pk}/change/",
        f"/admin/surveys/question/{question.pk}/change/",
        "/admin/surveys/surveyround/",
        "/admin/surveys/surveyround/add/",
        f"/admin/surveys/surveyround/{data.pk}/change/",
        "/admin/surveys/surveyinvitation/",
        f"/admin/surveys/surveyinvitation/{invitation.pk}/change/",
        "/admin/surveys/improvementaction/",
        f"/admin/surveys/improvementaction/{action.pk}/change/",
        f"/admin/surveys/surveysettings/{SurveySettings.current().pk}/change/",
    ]
    for page in pages:
        assert operator.get(page).status_code == 200, page
    # the token hash is never shown
    assert (
        b"token_hash" not in operator.get(f"/admin/surveys/surveyinvitation/{invitation.pk}/change/").content
    )


def test_settings_is_one_audited_row(operator):
    response = operator.get("/admin/surveys/surveysettings/")
    assert response.status_code == 302
    current = SurveySettings.current()
    form = {
        "cadence_months": 3,
        "sample_per_manager": 12,
        "link_valid_days": 7,
        "public_rate_limit": 30,
        "public_rate_window_minutes": 10,
        "low_score_threshold": "85",
        "min_responses_for_action": 3,
        "action_due_days": 15,
        "index_scale": 100,
        "default_target": "key",
        "round_open_days": 30,
    }
    response = operator.post(f"/admin/surveys/surveysettings/{current.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    current.refresh_from_db()
    assert (current.sample_per_manager, current.link_valid_days) == (12, 7)
    entry = AuditEntry.objects.get(event="survey.settings_changed")
    assert entry.detail["sample_per_manager"] == "12"
    assert operator.get("/admin/surveys/surveysettings/add/").status_code == 403


def test_published_questionnaire_is_read_only(operator, data):
    questionnaire = data.questionnaire
    before = questionnaire.title
    response = operator.post(
        f"/admin/surveys/questionnaire/{questionnaire.pk}/change/",
        {"code": questionnaire.code, "edition": questionnaire.edition, "title": "改了", "intro": ""},
    )
    assert response.status_code == 403
    questionnaire.refresh_from_db()
    assert questionnaire.title == before


def test_opened_round_is_read_only_and_a_draft_opens_from_the_list(operator, data, admin, account_manager):
    response = operator.post(f"/admin/surveys/surveyround/{data.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    earlier = data.period_start - timedelta(days=100)  # another period: rounds never overlap
    draft = make_round(admin, data.questionnaire, open_it=False, name="待开启", start=earlier)
    response = operator.post(
        "/admin/surveys/surveyround/", {"action": "open_rounds", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == SurveyRound.State.OPEN
    assert draft.invitations.count() == 1
