"""The big-account management report: figures against the data built, the roll-up, scope, the
query count, and the formatters."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.services import aum_record
from amdesk.planning.models import FollowUpAction, FollowUpPlan
from amdesk.reports.framework.base import REGISTRY, ReportPeriod
from amdesk.reports.framework.render import render_pdf, render_xlsx
from amdesk.reports.framework.values import ROW_KIND, SUBTOTAL
from amdesk.reports.generators.big_accounts import BigAccountsReport
from tests.clients.factories import make_client, make_contact, make_corporate, set_holding
from tests.orgs.factories import StaffFactory
from tests.service.factories import open_ticket

pytestmark = pytest.mark.django_db


def _period() -> ReportPeriod:
    return ReportPeriod.containing("quarter", timezone.localdate())


def _plan(client, planned: list, done: int):
    """A follow-up plan for the client with actions on these days, the first `done` of them done."""
    plan = FollowUpPlan.objects.create(
        owner=client.owner, org_node=client.org_node, client=client, client_type="won"
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(plan=plan, kind="phone", planned_on=day, done_on=day if n < done else None)
        for n, day in enumerate(planned)
    )


@pytest.fixture
def accounts(account_manager, team2_manager, other_manager):
    """account_manager: 甲一 (3 contacts, a decision maker; AUM 500; 2 products; 1 open ticket;
    3 follow-ups this quarter, 2 done) and 甲二 (1 contact: a gap; AUM 100 then 300; 1 follow-up,
    not done), plus an ordinary client that stays out. team2_manager: 乙一 (no contacts: a gap).
    other_manager: 丙一 (AUM 50)."""
    period, today = _period(), timezone.localdate()
    a1 = make_corporate(account_manager, name="甲一集团", is_big_account=True)
    for n in range(3):
        make_contact(a1, name=f"联系人{n}", is_decision_maker=n == 0)
    a2 = make_corporate(account_manager, name="甲二公司", is_big_account=True)
    make_contact(a2, name="王经理")
    ordinary = make_client(account_manager, name="普通客户")
    b1 = make_corporate(team2_manager, name="乙一公司", is_big_account=True)
    c1 = make_corporate(other_manager, name="丙一公司", is_big_account=True)
    aum_record(actor=account_manager, client=a1, as_of=today, amount=Decimal("500"))
    aum_record(
        actor=account_manager, client=a2, as_of=period.start - timedelta(days=40), amount=Decimal("100")
    )
    aum_record(actor=account_manager, client=a2, as_of=today, amount=Decimal("300"))
    aum_record(actor=other_manager, client=c1, as_of=today, amount=Decimal("50"))
    set_holding(a1, "demand-deposit", 100)
    set_holding(a1, "wealth-fixed", 200)
    open_ticket(account_manager, a1)
    open_ticket(account_manager, ordinary)
    inside = [period.start, period.start + timedelta(days=1), period.end]
    _plan(a1, inside + [period.start - timedelta(days=1)], done=2)
    _plan(a2, [period.start + timedelta(days=5)], done=0)
    return a1, a2, b1, c1


def _gather(viewer, node=None):
    return BigAccountsReport(viewer=viewer, period=_period(), node=node).gather()


def _am_rows(data):
    return {row["am"]: row for row in data.sections[0].blocks[0].rows if row["level"] == "am"}


def test_registered_and_available_by_role(account_manager, supervisor, branch_head, appraisal_admin):
    assert REGISTRY["big-accounts"] is BigAccountsReport
    assert all(BigAccountsReport.is_available_to(u) for u in (account_manager, supervisor, branch_head))
    assert not BigAccountsReport.is_available_to(StaffFactory(username="no-role", roles=[]))


def test_figures_per_account(accounts, branch_head, account_manager):
    a1, a2, b1, c1 = accounts
    data = _gather(branch_head)
    detail = {row["client"]: row for row in data.sections[1].blocks[0].rows}
    assert set(detail) == {a1.name, a2.name, b1.name, c1.name}
    one = detail[a1.name]
    assert (one["contacts"], one["coverage"], one["aum"], one["open_tickets"]) == (
        3,
        _("Complete"),
        Decimal("500"),
        1,
    )
    assert (one["planned"], one["done"], one["progress"]) == (3, 2, 66.7)
    assert one["products"].count("、") == 1
    two = detail[a2.name]
    assert (two["contacts"], two["coverage"], two["aum"], two["planned"], two["done"]) == (
        1,
        _("Incomplete"),
        Decimal("300"),
        1,
        0,
    )
    assert detail[b1.name]["aum"] is None and detail[b1.name]["coverage"] == _("Incomplete")


def test_rollup_per_am_team_and_total(
    accounts, branch_head, account_manager, team2_manager, other_manager, org
):
    data = _gather(branch_head)
    table = data.sections[0].blocks[0]
    mine = _am_rows(data)[account_manager.full_name]
    assert (mine["accounts"], mine["gaps"], mine["aum"], mine["holdings"]) == (2, 1, Decimal("800"), 2)
    assert (mine["open_tickets"], mine["planned"], mine["done"], mine["progress"]) == (1, 4, 2, 50.0)
    subtotals = [row for row in table.rows if row.get(ROW_KIND) == SUBTOTAL]
    by_team = {row["team"]: row for row in subtotals if row["level"] == "team"}
    assert set(by_team) == {org.tm1.name, org.tm2.name, org.tm3.name}
    assert by_team[org.tm1.name]["accounts"] == 2 and by_team[org.tm2.name]["gaps"] == 1
    assert table.totals["accounts"] == 4 and table.totals["aum"] == Decimal("850")
    assert table.totals["planned"] == 4 and table.totals["progress"] == 50.0
    # the chart draws the same AM figures
    chart = data.sections[0].blocks[1]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True))[account_manager.full_name] == 4


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("account_manager", {"甲一集团", "甲二公司"}),
        ("supervisor", {"甲一集团", "甲二公司", "乙一公司"}),
        ("other_supervisor", {"丙一公司"}),
        ("branch_head", {"甲一集团", "甲二公司", "乙一公司", "丙一公司"}),
    ],
)
def test_scope(accounts, request, who, expected):
    data = _gather(request.getfixturevalue(who))
    assert {row["client"] for row in data.sections[1].blocks[0].rows} == expected


def test_narrowed_to_a_team(accounts, branch_head, org):
    data = _gather(branch_head, node=org.tm2)
    assert {row["client"] for row in data.sections[1].blocks[0].rows} == {"乙一公司"}
    assert data.sections[0].blocks[0].totals["accounts"] == 1


def test_query_count_does_not_grow(accounts, branch_head, org):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _gather(branch_head)
        return len(queries)

    count()  # the first call also reads the viewer's scope and the settings, kept for the request
    before = count()
    for n in range(3):
        person = StaffFactory(username=f"am-extra-{n}", org_node=org.tm3)
        client = make_corporate(person, name=f"新增大客户{n}", is_big_account=True)
        make_contact(client, name="新联系人")
        set_holding(client, "demand-deposit", 10)
        _plan(client, [_period().start], done=1)
    assert count() == before


def test_formatters_accept_the_data(accounts, branch_head):
    data = _gather(branch_head)
    assert render_xlsx(data)[:2] == b"PK"
    assert render_pdf(data)[:4] == b"%PDF"
