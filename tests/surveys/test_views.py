"""Survey pages: what the AM and his supervisor see, scope (another AM's invitation is "not found"),
the builder's forms keeping what was typed, recording answers, links with QR codes, the report and
its export, improvement actions, and query counts on the list pages."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from amdesk.surveys.models import ImprovementAction, Question, Questionnaire, SurveyInvitation, SurveyResponse
from amdesk.surveys.services import survey_round_close
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_questionnaire, make_round, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(admin, account_manager, team2_manager, other_manager):
    """An open round over key clients: two of the AM's, one of his teammate's, one in another team."""
    clients = {
        "mine": make_client(account_manager, "王小明", tier="key"),
        "mine2": make_client(account_manager, "陈大华", tier="key"),
        "team2": make_client(team2_manager, "赵六", tier="key"),
        "other": make_client(other_manager, "李大壮", tier="key"),
    }
    survey_round = make_round(admin)
    invitations = {key: invitation_of(survey_round, client) for key, client in clients.items()}
    return survey_round, invitations


def test_an_am_sees_only_his_own_invitations(survey, account_manager, client_for):
    survey_round, invitations = survey
    am = client_for(account_manager)
    home = am.get("/surveys/").content.decode()
    assert "王小明" in home and "陈大华" in home and "李大壮" not in home and "赵六" not in home
    listing = am.get("/surveys/invitations/").content.decode()
    assert "王小明" in listing and "李大壮" not in listing and "赵六" not in listing
    assert am.get(f"/surveys/invitations/{invitations['mine'].pk}/").status_code == 200
    for key in ("other", "team2"):
        assert am.get(f"/surveys/invitations/{invitations[key].pk}/").status_code == 404
        assert am.post(f"/surveys/invitations/{invitations[key].pk}/link/").status_code == 404
    # the builder and round management are not for him
    assert am.get("/surveys/questionnaires/").status_code == 403
    assert am.get("/surveys/rounds/new/").status_code == 403
    assert am.post(f"/surveys/rounds/{survey_round.pk}/close/").status_code == 404


def test_scope_of_supervisors_and_admins(survey, supervisor, other_supervisor, admin, client_for):
    survey_round, invitations = survey
    boss = client_for(supervisor)
    assert boss.get(f"/surveys/invitations/{invitations['team2'].pk}/").status_code == 200
    assert boss.get(f"/surveys/invitations/{invitations['other'].pk}/").status_code == 404
    page = boss.get(f"/surveys/rounds/{survey_round.pk}/").content.decode()
    assert "王小明" in page and "赵六" in page and "李大壮" not in page
    stranger = client_for(other_supervisor)
    assert stranger.get(f"/surveys/invitations/{invitations['mine'].pk}/").status_code == 404
    everyone = client_for(admin).get(f"/surveys/rounds/{survey_round.pk}/").content.decode()
    assert "李大壮" in everyone and "王小明" in everyone


def test_the_am_records_answers_during_a_visit_and_errors_keep_what_was_typed(
    survey, account_manager, client_for
):
    survey_round, invitations = survey
    invitation = invitations["mine"]
    questions = questions_of(survey_round.questionnaire)
    am = client_for(account_manager)
    url = f"/surveys/invitations/{invitation.pk}/"
    form = am.get(url).content.decode()
    assert 'data-testid="record-form"' in form and f'name="q{questions["服务态度"].pk}"' in form

    # Given a missing required rating, the page comes back with the comment still typed
    data = {
        "mode": "phone",
        f"q{questions['专业能力'].pk}": "8",
        f"q{questions['推荐意愿'].pk}": "9",
        f"q{questions['意见建议'].pk}": "希望多介绍理财产品",
    }
    page = am.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="error-{questions["服务态度"].pk}"' in html and "希望多介绍理财产品" in html
    assert 'value="phone" checked' in html
    assert not SurveyResponse.objects.exists()

    # When he completes it, the response is saved as taken by phone
    data[f"q{questions['服务态度'].pk}"] = "4"
    response = am.post(url, data)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(invitation=invitation)
    assert saved.mode == "phone" and saved.recorded_by == account_manager
    answered = am.get(url).content.decode()
    assert 'data-testid="answered"' in answered and "希望多介绍理财产品" in answered
    assert am.post(url, data).status_code == 403  # answered: no second record


def test_issuing_a_link_shows_it_once_with_a_qr_code(survey, account_manager, client_for):
    _round, invitations = survey
    invitation = invitations["mine"]
    am = client_for(account_manager)
    page = am.post(f"/surveys/invitations/{invitation.pk}/link/")
    assert page.status_code == 200
    html = page.content.decode()
    url = page.context["url"]
    assert "/surveys/a/" in url and url in html and "<svg" in html and "<path" in html
    invitation.refresh_from_db()
    assert invitation.link_valid and url.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash
    # the link works for the client; a new link cancels it
    token = url.rstrip("/").rsplit("/", 1)[1]
    from django.test import Client as Browser

    assert Browser().get(f"/surveys/a/{token}/").status_code == 200
    am.post(f"/surveys/invitations/{invitation.pk}/link/")
    assert Browser().get(f"/surveys/a/{token}/").status_code == 404


def test_the_builder_adds_reorders_previews_publishes_and_copies(admin, client_for):
    page = client_for(admin)
    created = page.post(
        "/surveys/questionnaires/new/", {"title": "网点服务满意度", "code": "outlet", "intro": "请您评价"}
    )
    questionnaire = Questionnaire.objects.get(code="outlet")

    def seen(**data):  # what a freshly loaded builder page sends: the questionnaire's version
        data["version"] = Questionnaire.objects.get(pk=questionnaire.pk).version
        return data

    assert created["Location"] == f"/surveys/questionnaires/{questionnaire.pk}/"
    # the code may be left out: one is made up
    assert page.post("/surveys/questionnaires/new/", {"title": "客户满意度"}).status_code == 302
    assert Questionnaire.objects.filter(title="客户满意度").exclude(code="").exists()
    page.post(f"/surveys/questionnaires/{questionnaire.pk}/sections/", seen(title="服务评价"))
    section = questionnaire.sections.get()

    # A choice question without options: refused, with the text kept
    add = f"/surveys/sections/{section.pk}/questions/"
    refused = page.post(add, seen(text="您最常用的渠道", kind="single", weight="0", options="网点"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "您最常用的渠道" in html and "网点" in html and not Question.objects.exists()
    bad_score = page.post(add, seen(text="渠道", kind="single", weight="1", options="网点|很好\n手机"))
    assert bad_score.status_code == 200 and "网点|很好" in bad_score.content.decode()

    page.post(add, seen(text="服务态度", kind="rating5", weight="2", required="on"))
    page.post(add, seen(text="常用渠道", kind="single", weight="1", options="网点|100\n手机银行|80"))
    first, second = Question.objects.order_by("order")
    assert [o.label for o in second.options.all()] == ["网点", "手机银行"]
    assert second.options.get(label="手机银行").score == 80

    # Move the second question up (htmx gets the structure back)
    moved = page.post(f"/surveys/questions/{second.pk}/move/up/", seen(), HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and 'id="question-' in moved.content.decode()
    assert list(Question.objects.order_by("order").values_list("text", flat=True)) == ["常用渠道", "服务态度"]

    preview = page.get(f"/surveys/questionnaires/{questionnaire.pk}/preview/").content.decode()
    assert "服务态度" in preview and "手机银行" in preview

    page.post(f"/surveys/questionnaires/{questionnaire.pk}/publish/", seen())
    questionnaire.refresh_from_db()
    assert questionnaire.state == Questionnaire.State.PUBLISHED
    # published: the builder refuses changes, copying makes the next edition
    assert page.post(add, seen(text="新题", kind="rating5", weight="1")).status_code == 200
    assert questionnaire.questions.count() == 2
    copied = page.post(f"/surveys/questionnaires/{questionnaire.pk}/copy/")
    copy = Questionnaire.objects.get(code="outlet", edition=2)
    assert copied["Location"] == f"/surveys/questionnaires/{copy.pk}/" and copy.is_draft
    assert copy.questions.count() == 2


def test_a_round_is_created_opened_and_closed_from_its_pages(admin, account_manager, client_for):
    make_client(account_manager, "王小明", tier="key")
    questionnaire = make_questionnaire(admin)
    page = client_for(admin)
    form = page.get("/surveys/rounds/new/")
    assert "季度客户满意度调查" in form.content.decode()
    today = timezone.localdate()
    data = {
        "questionnaire": questionnaire.pk,
        "name": "四季度满意度调查",
        "period_start": today.isoformat(),
        "period_end": (today - timedelta(days=1)).isoformat(),  # before the start: refused
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "target": "key",
    }
    refused = page.post("/surveys/rounds/new/", data)
    assert refused.status_code == 200 and "四季度满意度调查" in refused.content.decode()
    data["period_end"] = (today + timedelta(days=60)).isoformat()
    created = page.post("/surveys/rounds/new/", data)
    survey_round = questionnaire.rounds.get()
    assert created["Location"] == f"/surveys/rounds/{survey_round.pk}/"
    page.post(f"/surveys/rounds/{survey_round.pk}/open/")
    assert SurveyInvitation.objects.filter(round=survey_round).count() == 1
    detail = page.get(f"/surveys/rounds/{survey_round.pk}/").content.decode()
    assert "王小明" in detail and 'data-testid="rates-owner"' in detail
    page.post(f"/surveys/rounds/{survey_round.pk}/close/")
    survey_round.refresh_from_db()
    assert survey_round.state == "closed"


def _two_rounds(admin, account_manager, team2_manager):
    """A closed round last quarter and an open one now, both answered: the AM lower this time."""
    mine = make_client(account_manager, "王小明", tier="key")
    theirs = make_client(team2_manager, "赵六", tier="key")
    questionnaire = make_questionnaire(admin)
    today = timezone.localdate()
    before = make_round(admin, questionnaire, start=today - timedelta(days=120), name="上季度调查")
    answer(invitation_of(before, mine), rating5=5, rating10=10, text="服务很好")
    answer(invitation_of(before, theirs), rating5=4, rating10=7)
    now = make_round(admin, questionnaire, name="本季度调查")
    answer(invitation_of(now, mine), rating5=2, rating10=3, text="响应太慢")
    return before, now


def test_home_and_report_show_the_index_with_its_trend(
    admin, account_manager, team2_manager, supervisor, client_for
):
    before, now = _two_rounds(admin, account_manager, team2_manager)
    boss = client_for(supervisor)
    home = boss.get("/surveys/").content.decode()
    assert 'data-testid="index-table"' in home and "苏婷瑶" in home and "▼" in home
    report = boss.get(f"/surveys/report/?round={now.pk}&group=owner")
    html = report.content.decode()
    assert report.context["index"].total.responses == 1 and "响应太慢" in html and "<svg" in html
    assert 'data-testid="trend"' in html and "上季度调查" in html
    team = boss.get(f"/surveys/report/?round={before.pk}&group=team").content.decode()
    assert "公司金融团队" in team and "个人金融团队" in team

    am = client_for(account_manager)
    mine = am.get("/surveys/").content.decode()
    assert 'data-testid="my-index-value"' in mine


def test_the_export_has_the_same_figures_in_scope(admin, account_manager, team2_manager, client_for):
    _before, now = _two_rounds(admin, account_manager, team2_manager)
    response = client_for(account_manager).get(f"/surveys/report/export/?round={now.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.sheetnames) == 4
    index_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert any(row and row[0] == "苏婷瑶" for row in index_rows)
    assert not any(row and row[0] == "钟欢岚" for row in index_rows)  # the teammate is not his to see
    comments = [row[3] for row in book.worksheets[3].iter_rows(min_row=2, values_only=True)]
    assert comments == ["响应太慢"]


def test_improvement_action_recorded_by_the_am_and_reviewed_by_his_supervisor(
    admin, account_manager, supervisor, other_supervisor, client_for
):
    clients = [make_client(account_manager, f"客户{i}", tier="key") for i in range(3)]
    survey_round = make_round(admin)
    for client in clients:
        answer(invitation_of(survey_round, client), rating5=2, rating10=2, nps=3)
    survey_round_close(actor=admin, survey_round=survey_round)
    action = ImprovementAction.objects.get(owner=account_manager)

    am = client_for(account_manager)
    url = f"/surveys/actions/{action.pk}/"
    # submitting without measures: refused, the analysis kept
    refused = am.post(
        url, {"analysis": "回访不及时", "measures": "", "version": action.version, "submit": "1"}
    )
    assert refused.status_code == 200 and "回访不及时" in refused.content.decode()
    am.post(
        url,
        {
            "analysis": "回访不及时",
            "measures": "每周电话回访重点客户",
            "version": action.version,
            "submit": "1",
        },
    )
    action.refresh_from_db()
    assert action.state == ImprovementAction.State.SUBMITTED

    assert client_for(other_supervisor).get(url).status_code == 404
    boss = client_for(supervisor)
    assert 'data-testid="review-form"' in boss.get(url).content.decode()
    boss.post(f"{url}review/", {"decision": "accept", "version": action.version})
    action.refresh_from_db()
    assert action.state == ImprovementAction.State.DONE and action.reviewed_by == supervisor


def test_list_pages_run_a_bounded_number_of_queries(
    admin, account_manager, team2_manager, supervisor, client_for, django_assert_max_num_queries
):
    for index in range(8):
        for owner in (account_manager, team2_manager):
            make_client(owner, f"客户{owner.pk}-{index}", tier="key")
    survey_round = make_round(admin)
    for invitation in SurveyInvitation.objects.filter(round=survey_round)[:6]:
        answer(invitation, text="好")
    boss, am = client_for(supervisor), client_for(account_manager)
    pages = [
        (boss, "/surveys/"),
        (boss, "/surveys/rounds/"),
        (boss, f"/surveys/rounds/{survey_round.pk}/"),
        (boss, "/surveys/invitations/"),
        (boss, "/surveys/report/"),
        (boss, "/surveys/actions/"),
        (boss, "/surveys/questionnaires/"),
        (am, "/surveys/"),
        (am, "/surveys/invitations/"),
    ]
    for page, url in pages:
        with django_assert_max_num_queries(36):
            assert page.get(url).status_code == 200, url


def test_a_supervisor_runs_a_round_for_his_teams(
    supervisor, account_manager, other_manager, admin, client_for, org
):
    make_client(account_manager, "王小明", tier="key")
    make_client(other_manager, "李大壮", tier="key")
    questionnaire = make_questionnaire(admin)
    boss = client_for(supervisor)
    form = boss.get("/surveys/rounds/new/")
    nodes = list(form.context["form"].fields["org_node"].queryset)
    assert org.tm1 in nodes and org.tm3 not in nodes
    today = timezone.localdate()
    data = {
        "questionnaire": questionnaire.pk,
        "name": "团队满意度调查",
        "period_start": today.isoformat(),
        "period_end": (today + timedelta(days=30)).isoformat(),
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "target": "key",
        "org_node": "",  # the whole organisation is for admins: refused, with what was typed
    }
    refused = boss.post("/surveys/rounds/new/", data)
    assert refused.status_code == 200 and "团队满意度调查" in refused.content.decode()
    data["org_node"] = org.tm1.pk
    boss.post("/surveys/rounds/new/", data)
    survey_round = questionnaire.rounds.get()
    boss.post(f"/surveys/rounds/{survey_round.pk}/open/")
    assert list(SurveyInvitation.objects.values_list("client__name", flat=True)) == ["王小明"]


def test_the_desk_card_counts_what_waits_for_the_am(survey, account_manager):
    from tests.desk.cards import card_html

    html = card_html("my_surveys", account_manager)
    assert 'data-testid="surveys-pending">2<' in html and "/surveys/invitations/" in html
