"""The target completion report: targets and achieved figures per AM and indicator as the planning
selectors give them, team subtotals, quarters summed, scope, query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.planning.models import PerformanceItem, TargetLine
from amdesk.planning.services import target_sheet_save
from amdesk.reports.framework.base import REGISTRY, ReportPeriod
from amdesk.reports.framework.values import is_subtotal
from tests.orgs.factories import StaffFactory
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)


@pytest.fixture
def targets(account_manager, team2_manager, other_manager, supervisor, other_supervisor):
    for person, boss, achieved in (
        (account_manager, supervisor, "30"),
        (team2_manager, supervisor, "5"),
        (other_manager, other_supervisor, "10"),
    ):
        target_sheet_save(actor=boss, owner=person, month=OCT, lines={"fund": {"target": "20"}})
        register(person, {("fund", date(2026, 10, 9)): achieved})
    return PerformanceItem.objects.get(code="fund")


def gather(viewer, period=None, node=None):
    period = period or ReportPeriod.month(2026, 10)
    data = REGISTRY["target-completion"](viewer=viewer, period=period, node=node).gather()
    return data.sections[0].blocks[0]


def test_figures_match_the_target_lines_and_registrations(
    targets, branch_head, account_manager, team2_manager
):
    table = gather(branch_head)
    fund = targets.pk
    people = {row["am"]: row for row in table.rows if not is_subtotal(row)}
    # independent: the target lines stored, the registrations saved above
    stored = {line.sheet.owner_id: line.target for line in TargetLine.objects.select_related("sheet")}
    assert people[account_manager.full_name][f"t{fund}"] == stored[account_manager.pk] == Decimal("20")
    assert people[account_manager.full_name][f"a{fund}"] == Decimal("30")
    assert people[account_manager.full_name][f"r{fund}"] == 150.0
    assert people[team2_manager.full_name][f"r{fund}"] == 25.0
    assert table.totals[f"t{fund}"] == Decimal("60") and table.totals[f"a{fund}"] == Decimal("45")
    assert table.totals[f"r{fund}"] == 75.0
    subtotals = [row for row in table.rows if is_subtotal(row)]
    assert [row[f"a{fund}"] for row in subtotals] == [Decimal("30"), Decimal("5"), Decimal("10")]


def test_a_quarter_sums_its_months(targets, supervisor, account_manager):
    table = gather(supervisor, ReportPeriod.quarter(2026, 4))
    row = next(r for r in table.rows if r["am"] == account_manager.full_name)
    assert row[f"t{targets.pk}"] == Decimal("20") and row[f"a{targets.pk}"] == Decimal("30")


def test_scope(targets, account_manager, supervisor, other_supervisor, other_manager):
    def names(viewer):
        return {row["am"] for row in gather(viewer).rows if not is_subtotal(row)}

    assert names(account_manager) == {account_manager.full_name}
    assert other_manager.full_name not in names(supervisor)
    assert names(other_supervisor) == {other_manager.full_name}


def test_query_count_does_not_grow(targets, branch_head, supervisor, org):
    def count():
        branch_head.__dict__.pop("_amdesk_scope", None)
        with CaptureQueriesContext(connection) as captured:
            gather(branch_head)
        return len(captured)

    before = count()
    for n in range(5):
        person = StaffFactory(username=f"t{n}", org_node=org.tm1)
        target_sheet_save(actor=supervisor, owner=person, month=OCT, lines={"fund": {"target": "1"}})
    assert count() == before
