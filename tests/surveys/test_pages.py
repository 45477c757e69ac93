"""Pages after the review: the report's rounds and export stay in the viewer's scope, one display
scale everywhere, the visit page's link to a waiting survey, stale builder forms (409), and the
improvement action's due date set by the supervisor."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from amdesk.surveys.models import ImprovementAction, Questionnaire, SurveySettings
from amdesk.surveys.services import section_add, survey_round_close
from tests.clients.factories import make_client
from tests.visits.factories import record_visit

from .factories import answer, invitation_of, make_questionnaire, make_round, questions_of

pytestmark = pytest.mark.django_db


def _export_rows(page, url="/surveys/report/export/"):
    book = load_workbook(io.BytesIO(page.get(url).content), read_only=True)
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_the_report_and_its_export_keep_to_the_viewers_rounds(
    admin, account_manager, other_manager, supervisor, other_supervisor, branch_head, client_for, org
):
    # Given a round of team 1 and a later one of team 3, each answered
    mine = make_client(account_manager, "王小明", tier="key")
    theirs = make_client(other_manager, "李大壮", tier="key")
    questionnaire = make_questionnaire(admin)
    team1 = make_round(supervisor, questionnaire, org_node=org.tm1, name="一队专项")
    team3 = make_round(other_supervisor, questionnaire, org_node=org.tm3, name="三队专项")
    answer(invitation_of(team1, mine))
    answer(invitation_of(team3, theirs))
    cases = [
        (account_manager, {"一队专项"}, {"三队专项"}),
        (supervisor, {"一队专项"}, {"三队专项"}),
        (other_supervisor, {"三队专项"}, {"一队专项"}),
        (branch_head, {"一队专项", "三队专项"}, set()),
    ]
    for user, sees, never in cases:
        page = client_for(user)
        # the page's round list names only his rounds
        html = page.get("/surveys/report/").content.decode()
        assert all(name in html for name in sees), user
        assert not any(name in html for name in never), user
        # the export (default round: his latest) too
        index_sheet = _export_rows(page)[0]
        assert index_sheet[0][1] in sees, user
        assert not any(name in str(row) for row in index_sheet for name in never), user
    # a round outside his scope, asked by id, is "not found"
    assert client_for(account_manager).get(f"/surveys/report/export/?round={team3.pk}").status_code == 404


def test_the_display_scale_applies_to_the_whole_report_and_export(
    admin, account_manager, supervisor, client_for
):
    # Given this quarter's only answer: 服务态度 2 of 5 (25 points), 专业能力 3 of 10 (22.22): index 24.31
    client = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=2, rating10=3)
    SurveySettings.objects.update_or_create(pk=1, defaults={"index_scale": 10})
    rating = questions_of(survey_round.questionnaire)["服务态度"]
    page = client_for(supervisor)
    html = page.get(f"/surveys/report/?round={survey_round.pk}").content.decode()
    # every index and score is on 0–10: the total, the AM's row, the question, the segment, the trend
    assert 'data-testid="report-index">2.4<' in html
    assert f'data-testid="index-{account_manager.pk}">2.4<' in html
    assert f'data-testid="question-score-{rating.pk}">2.5<' in html
    assert "24.3" not in html and ">25.0<" not in html
    index_sheet, questions, segments, _comments = _export_rows(
        page, f"/surveys/report/export/?round={survey_round.pk}"
    )
    assert "10" in str(index_sheet[2][4])  # the column says which scale
    am_row = next(row for row in index_sheet if row[0] == account_manager.full_name)
    assert am_row[4] == 2.4
    assert next(row for row in questions if row[1] == "服务态度")[4] == 2.5
    # segments (tier, lifecycle, VIP level) 2.4; dimensions 服务态度 2.5 and 专业能力 2.2 (22.22)
    assert sorted(row[3] for row in segments[1:]) == [2.2, 2.4, 2.4, 2.4, 2.5]


def test_the_visit_page_offers_the_waiting_survey(admin, account_manager, supervisor, client_for):
    waiting = make_client(account_manager, "王小明", tier="key")
    other = make_client(account_manager, "陈大华", tier="ordinary")  # not surveyed
    survey_round = make_round(admin)
    invitation = invitation_of(survey_round, waiting)
    visit = record_visit(account_manager, waiting)
    am = client_for(account_manager)
    html = am.get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="visit-survey-record"' in html
    assert f'href="/surveys/invitations/{invitation.pk}/"' in html
    # his supervisor may record it too; a visit to a client not surveyed offers nothing
    assert (
        'data-testid="visit-survey"' in client_for(supervisor).get(visit.get_absolute_url()).content.decode()
    )
    plain = record_visit(account_manager, other)
    assert 'data-testid="visit-survey"' not in am.get(plain.get_absolute_url()).content.decode()
    # once answered, or past the round's last day, the offer goes
    answer(invitation)
    assert 'data-testid="visit-survey"' not in am.get(visit.get_absolute_url()).content.decode()


def test_a_builder_form_shown_before_a_change_is_refused_with_409(supervisor, client_for):
    from amdesk.surveys.services import questionnaire_create

    questionnaire = questionnaire_create(actor=supervisor, title="草稿问卷")
    section = section_add(actor=supervisor, questionnaire=questionnaire, version=1, title="服务")
    shown = questionnaire.version
    page = client_for(supervisor)
    # someone else renames the section meanwhile
    page.post(f"/surveys/sections/{section.pk}/", {"title": "服务质量", "version": shown})
    stale = page.post(f"/surveys/sections/{section.pk}/", {"title": "旧页面", "version": shown})
    assert stale.status_code == 409 and 'data-testid="form-error"' in stale.content.decode()
    # without a version nothing is saved either
    missing = page.post(f"/surveys/sections/{section.pk}/", {"title": "无版本"})
    assert missing.status_code == 200
    section.refresh_from_db()
    assert section.title == "服务质量"
    # a stale move (htmx) answers 409 and reloads the page
    moved = page.post(f"/surveys/sections/{section.pk}/move/up/", {"version": shown}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 409 and moved["HX-Refresh"] == "true"
    assert Questionnaire.objects.get(pk=questionnaire.pk).title == "草稿问卷"


def test_the_supervisor_sets_the_due_date_on_the_action_page(admin, account_manager, supervisor, client_for):
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 1})
    client = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=1, rating10=1)
    survey_round_close(actor=admin, survey_round=survey_round)
    action = ImprovementAction.objects.get()
    url = f"/surveys/actions/{action.pk}/"
    later = timezone.localdate() + timedelta(days=30)
    am, boss = client_for(account_manager), client_for(supervisor)
    assert 'data-testid="due-form"' not in am.get(url).content.decode()
    am.post(f"{url}due/", {"due_on": later.isoformat(), "version": action.version})
    action.refresh_from_db()
    assert action.due_on != later
    assert 'data-testid="due-form"' in boss.get(url).content.decode()
    boss.post(f"{url}due/", {"due_on": later.isoformat(), "version": action.version})
    action.refresh_from_db()
    assert action.due_on == later
    # submitted measures are shown read-only to the AM
    am.post(url, {"analysis": "回访少", "measures": "每周回访", "version": action.version, "submit": "1"})
    action.refresh_from_db()
    assert action.state == ImprovementAction.State.SUBMITTED
    page = am.get(url).content.decode()
    assert 'data-testid="action-form"' not in page and "每周回访" in page
    assert am.post(url, {"analysis": "改", "measures": "改", "version": action.version}).status_code == 403
