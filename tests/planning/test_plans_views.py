"""The weekly and monthly document pages and the team board: the account manager writes and submits,
his supervisor reads, returns or marks read from the board; pages are scoped."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone, translation

from amdesk.planning.models import MonthlyPlan, WeeklyArrangement, WeeklySummary
from amdesk.planning.services import document_transition, plan_document_save, target_sheet_save
from amdesk.visits.models import ScheduleEntry, VisitSchedule
from tests.clients.factories import make_client
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

WEEK = "2026-10-05"


@pytest.fixture
def web(client_for):
    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    with translation.override("en"):
        yield make


def test_am_saves_then_submits_his_arrangement_with_the_weeks_visits(web, account_manager):
    client = make_client(account_manager, "李四")
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=date(2026, 10, 5)
    )
    ScheduleEntry.objects.create(schedule=schedule, client=client, day=date(2026, 10, 8), strategy="介绍定投")
    am = web(account_manager)
    page = am.get(f"/planning/week/{WEEK}/arrangement/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "李四" in html and "介绍定投" in html and schedule.get_absolute_url() in html
    form = {
        "version": "0",
        "info_focus": "到期理财客户",
        "product_focus": "",
        "other": "",
        "decision": "save",
    }
    assert am.post(f"/planning/week/{WEEK}/arrangement/", form).status_code == 302
    doc = WeeklyArrangement.objects.get()
    assert doc.state == "draft" and doc.info_focus == "到期理财客户"
    form.update(version=str(doc.version), product_focus="手机银行", decision="submit")
    assert am.post("/planning/week/2026-10-07/arrangement/", form).status_code == 302  # any day of the week
    doc.refresh_from_db()
    assert doc.state == "submitted" and doc.product_focus == "手机银行"
    # submitted: the page shows it read-only, and a post changes nothing
    page = am.get(f"/planning/week/{WEEK}/arrangement/").content.decode()
    assert 'data-testid="plan-read"' in page and 'data-testid="plan-form"' not in page
    assert am.post(f"/planning/week/{WEEK}/arrangement/", {**form, "other": "x"}).status_code == 403
    doc.refresh_from_db()
    assert doc.other == ""


def test_a_stale_page_is_refused(web, account_manager):
    plan_document_save(
        actor=account_manager, kind="weekly-summary", period=date(2026, 10, 5), data={"notes": "a"}
    )
    response = web(account_manager).post(
        f"/planning/week/{WEEK}/summary/", {"version": "0", "notes": "b", "decision": "save"}
    )
    assert response.status_code == 409
    assert WeeklySummary.objects.get().notes == "a"


def test_supervisor_returns_from_the_board(web, account_manager, team2_manager, supervisor):
    doc, _c = plan_document_save(actor=account_manager, kind="arrangement", period=date(2026, 10, 5), data={})
    document_transition(actor=account_manager, document=doc, action="submit")
    sup = web(supervisor)
    board = sup.get(f"/planning/board/?date={WEEK}").content.decode()
    assert 'data-testid="board-row-am"' in board and 'data-testid="board-row-am_team2"' in board
    assert doc.get_absolute_url() in board
    page = sup.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="plan-review"' in page and 'data-testid="plan-form"' not in page
    response = sup.post(doc.get_absolute_url(), {"decision": "return", "version": doc.version, "comment": ""})
    assert response.status_code == 400  # a comment is needed
    response = sup.post(
        doc.get_absolute_url(), {"decision": "return", "version": doc.version, "comment": "请补充拜访重点"}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == "returned" and doc.comment == "请补充拜访重点"
    assert (
        "请补充拜访重点" in web(account_manager).get(f"/planning/week/{WEEK}/arrangement/").content.decode()
    )
    # the month view of the board
    assert sup.get("/planning/board/?period=month&date=2026-10-01").status_code == 200


def test_pages_are_scoped(web, account_manager, other_supervisor, other_manager):
    plan_document_save(actor=account_manager, kind="arrangement", period=date(2026, 10, 5), data={})
    other = web(other_supervisor)
    assert other.get(f"/planning/week/{WEEK}/arrangement/?owner={account_manager.pk}").status_code == 404
    assert "am_other" in other.get("/planning/board/").content.decode()
    assert 'data-testid="board-row-am"' not in other.get("/planning/board/").content.decode()
    assert (
        web(other_manager).get(f"/planning/month/2026-10/plan/?owner={account_manager.pk}").status_code == 404
    )


def test_monthly_plan_is_prefilled_from_the_archive_and_shows_the_indicators(
    web, account_manager, supervisor
):
    make_client(account_manager, "王一", tier="key")
    make_client(account_manager, "王二")
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "12"}},
    )
    register(account_manager, {("insurance", date(2026, 9, 10)): "10"})
    am = web(account_manager)
    page = am.get("/planning/month/2026-10/plan/").content.decode()
    assert 'name="clients_to_visit" value="2"' in page and 'name="key_clients_to_visit" value="1"' in page
    assert 'data-testid="mom-insurance">20.0<' in page and 'data-testid="yoy-insurance">—<' in page
    form = {
        "version": "0",
        "focus": "",
        "clients_to_visit": "10",
        "key_clients_to_visit": "4",
        "decision": "submit",
    }
    assert am.post("/planning/month/2026-10/plan/", form).status_code == 302
    plan = MonthlyPlan.objects.get()
    assert (plan.clients_to_visit, plan.key_clients_to_visit, plan.key_share, plan.state) == (
        10,
        4,
        40.0,
        "submitted",
    )
    assert "40.0%" in am.get("/planning/month/2026-10/plan/").content.decode()


def test_summaries_show_progress_and_completion(web, account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=date(2026, 9, 1), lines={"insurance": {"target": "20"}}
    )
    register(account_manager, {("insurance", date(2026, 9, 10)): "15"})
    am = web(account_manager)
    assert 'data-testid="progress-insurance"' in am.get("/planning/week/2026-09-07/summary/").content.decode()
    page = am.get("/planning/month/2026-09/summary/").content.decode()
    assert 'data-testid="completion-insurance"' in page and "75.0%" in page


def test_home_pages_redirect_to_the_current_period(web, account_manager):
    am = web(account_manager)
    today = timezone.localdate()
    assert am.get("/planning/month/plan/").url == f"/planning/month/{today:%Y-%m}/plan/"
    assert am.get("/planning/week/arrangement/").status_code == 302
    assert am.get("/planning/week/nonsense/arrangement/").status_code == 404
