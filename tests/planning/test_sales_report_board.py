"""The monthly sales analysis report on the desk's "due soon" reminders and in the team board's API,
and the report page and the list page asking the database a fixed number of times whatever the
number of clients, visits, tickets and account managers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.clients.models import AumSnapshot
from amdesk.planning.selectors import planning_desk
from amdesk.planning.services import document_transition
from amdesk.planning.services.sales_reports import sales_report_due_at, sales_report_save
from tests.clients.factories import make_client, set_holding
from tests.orgs.factories import StaffFactory
from tests.planning.factories import register
from tests.service.factories import open_ticket
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)  # October's report is due on Thursday 5 November 2026
# The pages' queries (session, user, roles, settings, the report's parts…): the same at two sizes of
# data (no query per client, visit, ticket or person), and this many.
SMALL_OWN, SMALL_READ, SMALL_LIST, SMALL_OWN_LIST = 35, 37, 14, 9


def _soon(user, day: date) -> list[str]:
    return [item.kind for item in planning_desk(user, today=day)["due_soon"]]


def test_the_report_is_due_soon_the_day_before_and_on_the_day(account_manager, time_machine):
    # Given October's report is not written
    time_machine.move_to("2026-11-03 10:00 +08:00", tick=False)
    assert "sales-report" not in _soon(account_manager, date(2026, 11, 3))  # due in two days
    # When the working day before it comes, and then the day itself
    time_machine.move_to("2026-11-04 10:00 +08:00", tick=False)
    [item] = [
        i
        for i in planning_desk(account_manager, today=date(2026, 11, 4))["due_soon"]
        if i.kind == "sales-report"
    ]
    assert item.period == OCT and item.due_at == sales_report_due_at(OCT) and not item.today
    assert item.url == "/planning/month/2026-10/sales-report/"
    time_machine.move_to("2026-11-05 10:00 +08:00", tick=False)
    assert "sales-report" in _soon(account_manager, date(2026, 11, 5))
    # Then once it is submitted, or once it is overdue, it is no longer a reminder
    report, _c = sales_report_save(actor=account_manager, month=OCT, data={"problems": "无"})
    assert "sales-report" in _soon(account_manager, date(2026, 11, 5))  # a draft is still due
    document_transition(actor=account_manager, document=report, action="submit")
    assert "sales-report" not in _soon(account_manager, date(2026, 11, 5))


def test_an_unwritten_report_past_its_moment_is_overdue_not_due_soon(account_manager, time_machine):
    time_machine.move_to(sales_report_due_at(OCT) + timedelta(minutes=1), tick=False)
    figures = planning_desk(account_manager, today=date(2026, 11, 5))
    assert figures["sales_report_overdue"] and "sales-report" not in [i.kind for i in figures["due_soon"]]


def test_the_desk_page_shows_the_reminder(account_manager, supervisor, client_for, time_machine):
    time_machine.move_to("2026-11-04 10:00 +08:00", tick=False)
    page = client_for(account_manager).get("/").content.decode()
    assert 'data-testid="due-soon-sales-report"' in page and "月度销售分析报告" in page
    # the supervisor writes no report of his own
    assert "sales-report" not in _soon(supervisor, date(2026, 11, 4))


def test_the_board_api_shows_the_report_due_in_the_period(account_manager, supervisor, api_for, time_machine):
    # Given nobody wrote October's report by 10 November
    time_machine.move_to("2026-11-10 10:00 +08:00", tick=False)
    api = api_for(supervisor)

    def row():
        body = api.get("/api/v1/planning/board/?period=month&date=2026-11-10").json()
        [found] = [r for r in body["rows"] if r["staff"]["id"] == account_manager.pk]
        [cell] = [c for c in found["cells"] if c["kind"] == "sales-report"]
        return found, cell

    found, cell = row()
    # Then the board shows it missing and overdue, and counts it in the row's overdue
    assert (cell["period"], cell["state"], cell["overdue"], cell["id"]) == (
        "2026-10-01",
        "missing",
        True,
        None,
    )
    assert cell["due_at"] == sales_report_due_at(OCT).isoformat() and cell["due_provisional"] is False
    overdue_documents = sum(c["overdue"] for c in found["cells"])
    assert found["overdue"] == overdue_documents + found["logs_missing"]
    # When the account manager submits it late, the cell links the report and is no longer overdue
    report, _c = sales_report_save(actor=account_manager, month=OCT, data={"problems": "无"})
    document_transition(actor=account_manager, document=report, action="submit")
    found, cell = row()
    assert (cell["state"], cell["overdue"], cell["id"]) == ("submitted", False, report.pk)
    # The week board shows the same report (due in the week's month) and the account manager's own
    # scope has no row of his
    body = api.get("/api/v1/planning/board/?date=2026-11-10").json()
    assert any(c["kind"] == "sales-report" for r in body["rows"] for c in r["cells"])
    mine = api_for(account_manager).get("/api/v1/planning/board/").json()
    assert all(r["staff"]["id"] != account_manager.pk for r in mine["rows"])


# -- a fixed number of queries ------------------------------------------------------------------


def _clients(am, n: int, offset: int = 0) -> None:
    """`n` more clients of `am`, each with AUM at two month-ends, a holding, a visit with an opinion,
    a special visit and two complaints in October (the second a repeat)."""
    for index in range(offset, offset + n):
        client = make_client(am, f"客户{index}", tier="key" if index % 2 == 0 else "ordinary")
        for as_of, amount in ((date(2026, 9, 30), 100_000), (date(2026, 10, 31), 40_000 + index)):
            AumSnapshot.objects.create(client=client, as_of=as_of, amount=Decimal(amount))
        set_holding(client, "demand-deposit", "30000")
        record_visit(am, client, date(2026, 10, 10 + index % 10), opinions=f"意见{index}")
        record_visit(am, client, date(2026, 10, 12), kind="special", special_reason="产品到期", signed=False)
        open_ticket(am, client, at=_at(date(2026, 10, 14)))
        open_ticket(am, client, at=_at(date(2026, 10, 15)))


def _at(day):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.combine(day, datetime.min.time(), ZoneInfo("Asia/Shanghai")) + timedelta(hours=10)


def _queries(web, url: str) -> int:
    web.get(url)  # warm: settings rows and the calendar are read once per process
    with CaptureQueriesContext(connection) as captured:
        response = web.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_report_page_asks_a_fixed_number_of_times(account_manager, supervisor, client_for, time_machine):
    time_machine.move_to("2026-11-10 10:00 +08:00", tick=False)
    # Given one client with a month of activity, a draft report and registrations
    _clients(account_manager, 1)
    register(account_manager, {("insurance", date(2026, 10, 9)): "4"})
    sales_report_save(actor=account_manager, month=OCT, data={"problems": "无"})
    url = "/planning/month/2026-10/sales-report/"
    own, read = client_for(account_manager), client_for(supervisor)
    small = (_queries(own, url), _queries(read, f"{url}?owner={account_manager.pk}"))
    # When he has six clients, each with visits, special visits, repeat complaints and AUM drops
    _clients(account_manager, 5, offset=1)
    register(account_manager, {("insurance", date(2026, 9, 9)): "3", ("insurance", date(2026, 9, 10)): "2"})
    # Then the page asks the database as many times, for him and for his supervisor
    assert (_queries(own, url), _queries(read, f"{url}?owner={account_manager.pk}")) == small
    assert small == (SMALL_OWN, SMALL_READ)


def test_the_list_page_asks_a_fixed_number_of_times(
    org, account_manager, supervisor, client_for, time_machine
):
    time_machine.move_to("2026-11-10 10:00 +08:00", tick=False)
    report, _c = sales_report_save(actor=account_manager, month=OCT, data={"problems": "无"})
    document_transition(actor=account_manager, document=report, action="submit")
    web = client_for(supervisor)
    small = _queries(web, "/planning/sales-reports/?month=2026-10")
    # When the team has five more account managers, two of whom wrote and submitted their report
    for index in range(5):
        person = StaffFactory(org_node=org.tm1, supervisor=supervisor)
        if index < 2:
            written, _c = sales_report_save(actor=person, month=OCT, data={"problems": "无"})
            document_transition(actor=person, document=written, action="submit")
    page = web.get("/planning/sales-reports/?month=2026-10").content.decode()
    assert page.count('data-testid="msr-team-') >= 6
    assert _queries(web, "/planning/sales-reports/?month=2026-10") == small == SMALL_LIST
    # and the account manager's own list (his reports of the last two years)
    assert _queries(client_for(account_manager), "/planning/sales-reports/") == SMALL_OWN_LIST
