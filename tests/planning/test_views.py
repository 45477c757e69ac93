"""The planning pages: the AM's log of a day, the month grid, the supervisor's team view and review."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import PerformanceEntry, PlanningSettings, WorkLog
from tests.orgs.factories import StaffFactory
from tests.planning.factories import last_working_day, register, write_log

pytestmark = pytest.mark.django_db

FORM = {
    "prospects_visited": "2",
    "counter_consultations": "8",
    "phone_consultations": "3",
    "cooperation": "与柜员配合营销信用卡",
    "problems": "",
    "other": "",
    "opening-fund": "1",
    "opening-insurance": "",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def english_pages(web):
    """Pages speak Chinese unless the user chose English (the language cookie)."""
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return web


def test_am_writes_saves_and_submits_the_days_log(client_for, account_manager):
    web = client_for(account_manager)
    day = last_working_day().isoformat()
    page = web.get(f"/planning/log/{day}/")
    assert page.status_code == 200 and b'data-testid="log-form"' in page.content
    assert web.post(f"/planning/log/{day}/", {**FORM, "submit": "0"}).status_code == 302
    log = WorkLog.objects.get(owner=account_manager)
    assert log.state == "draft" and log.counter_consultations == 8
    response = web.post(
        f"/planning/log/{day}/", {**FORM, "problems": "缺宣传折页", "version": "1", "submit": "1"}
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.state == "submitted" and log.problems == "缺宣传折页"
    page = web.get(f"/planning/log/{day}/")
    assert b'data-testid="log-form"' not in page.content and "缺宣传折页" in page.content.decode()


def test_today_redirects_to_todays_log(client_for, account_manager):
    response = client_for(account_manager).get("/planning/log/")
    assert response.status_code == 302 and response.url.endswith(f"/planning/log/{timezone.localdate()}/")


def test_a_stale_form_is_refused_with_a_message(client_for, account_manager):
    web = english_pages(client_for(account_manager))
    log = write_log(account_manager)
    response = web.post(f"/planning/log/{log.day}/", {**FORM, "version": "0", "submit": "0"})
    assert response.status_code == 409 and b"Reload" in response.content
    assert WorkLog.objects.get().version == 1


def test_a_log_no_longer_editable_is_not_changed_by_the_form(client_for, account_manager):
    log = write_log(account_manager)
    WorkLog.objects.filter(pk=log.pk).update(state="reviewed")
    response = client_for(account_manager).post(
        f"/planning/log/{log.day}/", {**FORM, "version": "1", "submit": "1"}
    )
    assert response.status_code == 302  # not editable: back to the page with a message
    assert WorkLog.objects.get().counter_consultations == 12


def test_supervisor_reads_the_team_and_returns_a_log(client_for, account_manager, team2_manager, supervisor):
    day = last_working_day()
    log = write_log(account_manager, day, submit=True)
    web = english_pages(client_for(supervisor))
    team = web.get(f"/planning/team/?day={day}").content.decode()
    assert 'data-testid="team-row-am"' in team and 'data-testid="team-row-am_team2"' in team
    assert "1 of 2 account managers handed in their log." in team
    detail = web.get(f"/planning/logs/{log.pk}/")
    assert b'data-testid="log-review"' in detail.content
    response = web.post(
        f"/planning/logs/{log.pk}/review/",
        {"decision": "return", "comment": "请写明问题", "version": log.version},
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.state == "returned" and log.comment == "请写明问题"
    # the AM sees the comment on his day's page and may edit again
    page = client_for(account_manager).get(f"/planning/log/{day}/").content.decode()
    assert "请写明问题" in page and 'data-testid="log-form"' in page


def test_pages_are_scoped(client_for, account_manager, other_supervisor, other_manager):
    log = write_log(account_manager, submit=True)
    web = client_for(other_supervisor)
    assert web.get(f"/planning/logs/{log.pk}/").status_code == 404
    assert web.post(f"/planning/logs/{log.pk}/review/", {"decision": "review"}).status_code == 404
    assert 'team-row-am"' not in web.get("/planning/team/").content.decode()
    assert client_for(other_manager).get(f"/planning/logs/{log.pk}/").status_code == 404
    month = log.day.strftime("%Y-%m")
    assert web.get(f"/planning/performance/{month}/?owner={account_manager.pk}").status_code == 404


def test_owner_sees_no_review_form(client_for, account_manager):
    log = write_log(account_manager, submit=True)
    assert (
        b'data-testid="log-review"'
        not in client_for(account_manager).get(f"/planning/logs/{log.pk}/").content
    )


def test_month_grid_saves_changed_cells_and_refuses_stale_saves(client_for, account_manager):
    web = client_for(account_manager)
    day = last_working_day()
    month = day.strftime("%Y-%m")
    page = web.get(f"/planning/performance/{month}/").content.decode()
    assert f'data-testid="cell-{day}-insurance"' in page and 'name="version" value="0"' in page
    response = web.post(
        f"/planning/performance/{month}/",
        {"version": "0", f"cell-{day}-insurance": "5", f"cell-{day}-fund": "1.5"},
    )
    assert response.status_code == 302
    assert dict(PerformanceEntry.objects.values_list("item__code", "value")) == {
        "insurance": Decimal("5"),
        "fund": Decimal("1.5"),
    }
    page = web.get(f"/planning/performance/{month}/").content.decode()
    assert 'data-testid="total-insurance">5<' in page
    # another tab still at version 0
    stale = web.post(f"/planning/performance/{month}/", {"version": "0", f"cell-{day}-insurance": "9"})
    assert stale.status_code == 409 and b'data-testid="unsaved"' in stale.content
    assert PerformanceEntry.objects.get(item__code="insurance").value == 5
    assert AuditEntry.objects.filter(event=AuditEvent.PERFORMANCE_SAVED).count() == 1


def test_supervisor_reads_a_month_grid_but_cannot_save_it(client_for, account_manager, supervisor):
    day = last_working_day()
    register(account_manager, {("insurance", day): "4"})
    web = client_for(supervisor)
    url = f"/planning/performance/{day:%Y-%m}/?owner={account_manager.pk}"
    page = web.get(url).content.decode()
    assert 'class="form-control' not in page.split('data-testid="performance-grid"')[1].split("</table>")[0]
    assert 'data-testid="performance-save"' not in page
    web.post(url, {"version": "1", f"cell-{day}-insurance": "9"})
    assert PerformanceEntry.objects.get().value == 4


def _count(web, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert web.get(url).status_code == 200
    return len(captured)


def test_list_and_team_pages_take_the_same_queries_for_3_and_30_rows(org, client_for, supervisor):
    PlanningSettings.current()
    web = client_for(supervisor)
    day = last_working_day()
    urls = [f"/planning/logs/?month={day:%Y-%m}", f"/planning/team/?day={day}"]
    for _ in range(3):
        write_log(StaffFactory(org_node=org.tm1), day, submit=True)
    for url in urls:
        _count(web, url)
    few = [_count(web, url) for url in urls]
    for _ in range(27):
        write_log(StaffFactory(org_node=org.tm2), day, submit=True, openings={"fund": 1, "insurance": 2})
    assert [_count(web, url) for url in urls] == few


def test_month_grid_queries_do_not_grow_with_cells(client_for, account_manager):
    web = client_for(account_manager)
    day = last_working_day()
    url = f"/planning/performance/{day:%Y-%m}/"
    register(account_manager, {("insurance", day): "1"})
    _count(web, url)
    few = _count(web, url)
    register(
        account_manager,
        {(code, d): "2" for code in ("fund", "credit-card") for d in [day.replace(day=1), day]},
    )
    assert _count(web, url) == few


def test_desk_card_for_am_and_supervisor(client_for, account_manager, supervisor, team2_manager):
    page = client_for(account_manager).get("/").content.decode()
    assert 'data-testid="planning-card"' in page and 'data-testid="desk-log-today"' in page
    page = client_for(supervisor).get("/").content.decode()
    assert 'data-testid="desk-logs-missing"' in page
    assert 'href="/planning/"' in page  # the navigation entry
