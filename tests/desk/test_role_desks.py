"""The role desks: each role's charts, the figures they draw against independent queries, a fixed
number of queries whatever the number of clients and account managers, the 360° page's scope and
the chart exports."""

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from amdesk.clients.models import AumSnapshot, Client
from amdesk.core.models import AuditEntry
from amdesk.desk.selectors import Desk
from amdesk.desk.selectors.am import birthdays, lunar_birthday_of
from amdesk.desk.services import desk_figures_refresh, week_starts
from amdesk.visits.models import Visit
from amdesk.visits.selectors.status import compliance_in_period
from tests.clients.factories import make_client, resident_id
from tests.orgs.factories import StaffFactory
from tests.service.factories import make_service_desk, open_ticket
from tests.visits.factories import record_visit

WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    return WEDNESDAY.date()


def _grow(org, supervisor, *, managers: int, clients: int) -> list:
    """`managers` more account managers in TM1, each with `clients` clients (the first key), a visit
    last week, a ticket and an AUM history of two month-ends."""
    made = []
    today = date(2026, 3, 11)
    for _ in range(managers):
        person = StaffFactory(org_node=org.tm1, supervisor=supervisor)
        for index in range(clients):
            client = make_client(
                person, name=f"客户{person.pk}-{index}", tier="key" if index == 0 else "ordinary"
            )
            record_visit(person, client, today - timedelta(days=7 + index % 3))
            for as_of, amount in (
                (date(2026, 1, 31), 1000 * (index + 1)),
                (date(2026, 2, 28), 1500 * (index + 1)),
            ):
                AumSnapshot.objects.create(client=client, as_of=as_of, amount=Decimal(amount))
        open_ticket(person, client)
        made.append(person)
    desk_figures_refresh(today=today)
    return made


def _queries(web) -> int:
    web.get("/")  # warm: settings rows and the calendar are read once per process
    with CaptureQueriesContext(connection) as captured:
        response = web.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def _charts(page: str) -> set[str]:
    return set(re.findall(r'data-desk-chart="([a-z_]+)"', page))


# Each role's desk page, session and sign-in included (bench/README.md: the desks' figures). Lower them
# when a card needs fewer; never raise them without saying which card needs another query.
QUERIES = {"account_manager": 60, "supervisor": 84, "branch_head": 73, "service_desk": 21}


@pytest.mark.parametrize("role", ["account_manager", "supervisor", "branch_head", "service_desk"])
def test_each_role_desk_makes_the_same_number_of_queries_at_two_sizes(
    role, org, account_manager, supervisor, branch_head, client_for, frozen
):
    # Given one account manager with one client, then four with three clients each
    users = {
        "account_manager": account_manager,
        "supervisor": supervisor,
        "branch_head": branch_head,
        "service_desk": make_service_desk(org),
    }
    make_client(account_manager, name="小号")
    desk_figures_refresh(today=frozen)
    web = client_for(users[role])
    small = _queries(web)
    assert small == QUERIES[role]
    _grow(org, supervisor, managers=3, clients=3)
    for index in range(3):
        client = make_client(account_manager, name=f"大号{index}")
        record_visit(account_manager, client, frozen - timedelta(days=2))
        open_ticket(account_manager, client)
    # Then the desk asks the database as many times
    assert _queries(web) == small


def test_each_role_sees_its_charts(org, account_manager, supervisor, branch_head, client_for, frozen):
    _grow(org, supervisor, managers=2, clients=2)
    page = client_for(account_manager).get("/").content.decode()
    assert "overdue_by_tier" in _charts(page)
    assert 'data-testid="chart-empty-my_targets"' in page  # no target set this month: nothing to draw
    assert {"team_kpis", "visit_heatmap", "sla_status", "submissions"} <= _charts(
        client_for(supervisor).get("/").content.decode()
    )
    assert {"aum_trend", "visit_trend", "team_compare", "tier_mix"} <= _charts(
        client_for(branch_head).get("/").content.decode()
    )
    assert _charts(client_for(make_service_desk(org)).get("/").content.decode()) == {"sla_status"}


def test_the_head_figures_match_independent_queries(org, supervisor, branch_head, other_manager, frozen):
    _grow(org, supervisor, managers=3, clients=3)
    make_client(other_manager, name="滨江客户")  # another sub-branch, same branch
    make_client(other_manager, name="流失客户", lifecycle="lost")
    desk_figures_refresh(today=frozen)
    desk = Desk(branch_head, today=frozen)
    served = Client.objects.exclude(lifecycle="lost")
    assert desk.branch["clients"] == served.count()
    # The tier mix counts what a GROUP BY over the archive counts
    expected = dict(served.values("tier__name").annotate(n=Count("id")).values_list("tier__name", "n"))
    assert {row[0]: row[1] for row in desk.tier_mix.rows} == expected
    # February's month-end AUM: each client's latest snapshot on or before 28 February
    february = dict(desk.aum_trend.rows)["2026-02"]
    total = sum(AumSnapshot.objects.filter(as_of=date(2026, 2, 28)).values_list("amount", flat=True))
    assert february == round(float(total / 10000), 2)
    # Visits per month are the visits of the full months (March's are still to come)
    visits = dict(desk.visit_trend.rows)
    assert sum(visits.values()) == Visit.objects.filter(visited_on__lt=date(2026, 3, 1)).count()


def test_the_heat_map_is_the_compliance_of_each_week(org, supervisor, frozen):
    people = _grow(org, supervisor, managers=2, clients=3)
    chart = Desk(supervisor, today=frozen).visit_heatmap
    monday = week_starts(frozen)[-1]
    expected = {
        row["owner"]: round(100 * row["complied"] / row["clients"], 1)
        for row in compliance_in_period(
            Client.objects.filter(owner__in=people),
            start=monday,
            end=monday + timedelta(days=6),
            group_by=("owner",),
        )
    }
    by_name = {row[0]: row[-1] for row in chart.rows}
    for person in people:
        assert by_name[person.full_name] == expected.get(person.pk)


def test_birthdays_of_the_week_solar_and_lunar(account_manager, frozen):
    # Given a solar birthday on Friday, one next week, and a lunar one whose lunar date falls on Thursday
    make_client(account_manager, name="阳历", id_number=resident_id(date(1980, 3, 13)))
    make_client(account_manager, name="下周", id_number=resident_id(date(1980, 3, 17)))
    thursday = frozen + timedelta(days=1)
    wanted = lunar_birthday_of(thursday)
    born = next(
        day
        for day in (date(1985, 1, 1) + timedelta(days=n) for n in range(400))
        if lunar_birthday_of(day) == wanted
    )
    make_client(account_manager, name="农历", id_number=resident_id(born), birthday_kind="lunar")
    found = {(b.client.name, b.day, b.lunar) for b in birthdays(account_manager, today=frozen)}
    assert found == {("阳历", date(2026, 3, 13), False), ("农历", thursday, True)}


def test_the_360_page_is_for_his_leaders_and_himself(
    org, account_manager, other_manager, supervisor, other_supervisor, branch_head, client_for, frozen
):
    make_client(account_manager, name="我的客户")
    url = f"/desk/people/{account_manager.pk}/"
    for viewer in (account_manager, supervisor, branch_head):
        page = client_for(viewer).get(url)
        assert page.status_code == 200, viewer
        assert 'data-testid="person-clients-served">1<' in page.content.decode()
    product = StaffFactory(org_node=org.tm1, roles=["product_manager"])
    for viewer in (other_manager, other_supervisor, product):
        assert client_for(viewer).get(url).status_code == 404, viewer
        assert client_for(viewer).get(f"{url}charts/compliance.xlsx").status_code == 404
    assert client_for(supervisor).get(f"/desk/people/{other_manager.pk}/").status_code == 404


def test_the_360_page_reads_a_fixed_number_of_queries(org, supervisor, account_manager, client_for, frozen):
    web = client_for(supervisor)
    url = f"/desk/people/{account_manager.pk}/"
    web.get(url)
    with CaptureQueriesContext(connection) as small:
        web.get(url)
    for index in range(4):
        client = make_client(account_manager, name=f"客户{index}")
        record_visit(account_manager, client, frozen - timedelta(days=1))
        open_ticket(account_manager, client)
    with CaptureQueriesContext(connection) as large:
        assert web.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_chart_exports_its_table_and_client_figures_are_audited(
    org, account_manager, supervisor, client_for, frozen
):
    _grow(org, supervisor, managers=2, clients=2)
    response = client_for(supervisor).get("/desk/charts/team_kpis.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 + 3  # header and three account managers
    assert AuditEntry.objects.filter(event="desk.chart_exported", actor=supervisor).count() == 1
    # A chart of a card the viewer's desk does not show is not found, as an unknown one
    assert client_for(account_manager).get("/desk/charts/team_kpis.xlsx").status_code == 404
    assert client_for(supervisor).get("/desk/charts/my_targets.xlsx").status_code == 404
    assert client_for(supervisor).get("/desk/charts/nothing.xlsx").status_code == 404
    # The 360° page's chart, for his supervisor
    person = f"/desk/people/{account_manager.pk}/charts/compliance.xlsx"
    assert client_for(supervisor).get(person).status_code == 200


def test_the_team_ranking_lists_each_account_manager_once(org, supervisor, account_manager, frozen):
    people = _grow(org, supervisor, managers=2, clients=2)
    chart = Desk(supervisor, today=frozen).team_kpis
    names = [row[0] for row in chart.rows]
    assert sorted(names) == sorted([account_manager.full_name, *[p.full_name for p in people]])
    assert [row[-1] for row in chart.rows] == [1, 2, 3]
    assert chart.links[0].startswith("/desk/people/")
