"""The one roll-up every report uses: AM rows, team subtotals, branch subtotals where a branch has
several teams, the total; sums with rates derived again, or the report's own subtotal."""

import pytest
from django.utils.translation import gettext as _

from amdesk.orgs.models import OrgLevel
from amdesk.reports.framework.base import ReportPeriod
from amdesk.reports.framework.rollup import BRANCH, TEAM, TOTAL, rate, rollup_rows
from amdesk.reports.framework.values import is_subtotal
from amdesk.reports.generators.service_sla import ServiceSlaReport

pytestmark = pytest.mark.django_db


def _derive(row):
    return {"rate": rate(row["done"], row["due"])}


def _rows(org):
    return [
        {"am": "甲", "team_id": org.tm1.pk, "due": 4, "done": 4},
        {"am": "乙", "team_id": org.tm1.pk, "due": 6, "done": 0},
        {"am": "丙", "team_id": org.tm2.pk, "due": 10, "done": 5},
        {"am": "丁", "team_id": org.tm3.pk, "due": 0, "done": 0},
    ]


def test_sums_and_rates_derived_again_one_branch(org):
    # Given the default branch level (分行): all three teams sit in one branch
    rows, totals = rollup_rows(_rows(org), sum_keys=["due", "done"], derive=_derive)
    # then a subtotal per team, no branch subtotal (the total is the branch's), AMs in the given order
    assert [(r["level"], r["team"], r["am"] if r["level"] == "am" else "") for r in rows] == [
        ("am", org.tm1.name, "甲"),
        ("am", org.tm1.name, "乙"),
        (TEAM, org.tm1.name, ""),
        ("am", org.tm2.name, "丙"),
        (TEAM, org.tm2.name, ""),
        ("am", org.tm3.name, "丁"),
        (TEAM, org.tm3.name, ""),
    ]
    assert {r["branch"] for r in rows} == {org.br.name}
    tm1 = rows[2]
    assert is_subtotal(tm1) and (tm1["due"], tm1["done"], tm1["rate"]) == (10, 4, 40.0)
    assert rows[0]["rate"] == 100.0 and rows[5]["rate"] is None
    # the team's rate is 4/10, not the mean of 100% and 0%; the total likewise
    assert (totals["level"], totals["due"], totals["done"], totals["rate"]) == (TOTAL, 20, 9, 45.0)


def test_branch_subtotals_for_a_head_whose_branch_has_two_sub_branches(org):
    # Given sub-branches (支行) as the reports' branch level: 西湖支行 holds TM1 and TM2, 滨江支行 TM3
    OrgLevel.objects.filter(reports_as_branch=True).update(reports_as_branch=False)
    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    rows, totals = rollup_rows(_rows(org), sum_keys=["due", "done"], derive=_derive)
    levels = [(r["level"], r["branch"], r["team"]) for r in rows if r["level"] != "am"]
    # then 西湖支行 gets a branch subtotal after its two teams; 滨江支行 (one team) only its team's
    assert levels == [
        (TEAM, org.sb1.name, org.tm1.name),
        (TEAM, org.sb1.name, org.tm2.name),
        (BRANCH, org.sb1.name, str(_("Branch subtotal"))),
        (TEAM, org.sb2.name, org.tm3.name),
    ]
    west = next(r for r in rows if r["level"] == BRANCH)
    assert is_subtotal(west) and (west["due"], west["done"], west["rate"]) == (20, 9, 45.0)
    assert totals["due"] == 20


def test_the_report_supplies_its_own_subtotal(org):
    seen = []

    def subtotal(level, key, rows):
        seen.append((level, key, len(rows)))
        return {"score": max(row["due"] for row in rows)}

    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    OrgLevel.objects.exclude(depth=2).update(reports_as_branch=False)
    rows, totals = rollup_rows(_rows(org), subtotal=subtotal)
    assert (TEAM, org.tm1.pk, 2) in seen and (BRANCH, org.sb1.path, 3) in seen and (TOTAL, None, 4) in seen
    assert totals["score"] == 10


def test_a_single_team_has_no_subtotal_rows(org):
    rows, totals = rollup_rows(_rows(org)[:2], sum_keys=["due", "done"], derive=_derive)
    assert not any(is_subtotal(r) for r in rows) and totals["rate"] == 40.0


def test_sla_report_for_a_head_with_sub_branches_as_branches(tickets, branch_head, org):
    # Given the sub-branch level marked as the branch: the head reads the SLA report of November
    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    OrgLevel.objects.exclude(depth=2).update(reports_as_branch=False)
    data = ServiceSlaReport(viewer=branch_head, period=ReportPeriod.month(2026, 11)).gather()
    table = next(b for b in data.sections[0].blocks if hasattr(b, "rows"))
    # then the branch column is named after the level, and 西湖支行's subtotal sums its two teams
    assert table.columns[0].label == "支行"
    teams = {r["team"]: r for r in table.rows if r["level"] == TEAM}
    west = next(r for r in table.rows if r["level"] == BRANCH)
    assert west["branch"] == org.sb1.name
    assert west["received"] == teams[org.tm1.name]["received"] + teams[org.tm2.name]["received"]
    assert table.totals["received"] == west["received"] + teams[org.tm3.name]["received"]
