"""Appraisal results: the cards' scores, ranks and change against independent queries, team
averages, scope (an AM his own line; supervisors and heads their teams; the appraisal admin all),
the query count and the formatters."""

from statistics import mean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.appraisal.models import ScoreCard
from amdesk.reports.framework.base import ReportPeriod
from amdesk.reports.framework.render import render_pdf, render_xlsx
from amdesk.reports.generators.appraisal_results import AppraisalResultsReport
from tests.appraisal.periods_helpers import computed_may
from tests.orgs.factories import StaffFactory

pytestmark = pytest.mark.django_db

MAY = ReportPeriod.month(2026, 5)


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    """April then May: the cards carry a previous score and a change."""
    return computed_may(
        appraisal_admin,
        {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)},
        april={account_manager: (60, 4), team2_manager: (50, 2), other_manager: (40, 10)},
    )


def _gather(viewer, node=None, period=MAY):
    return AppraisalResultsReport(viewer=viewer, period=period, node=node).gather()


def _table(data):
    return data.sections[0].blocks[0]


def _people(data):
    return {row["am"]: row for row in _table(data).rows if row["level"] == "am"}


def test_available_by_role(account_manager, supervisor, branch_head, appraisal_admin, org):
    assert all(
        AppraisalResultsReport.is_available_to(u)
        for u in (account_manager, supervisor, branch_head, appraisal_admin)
    )
    product = StaffFactory(username="pm", org_node=org.tm1, roles=["product_manager"])
    assert not AppraisalResultsReport.is_available_to(product)


def test_figures_match_the_cards(may, appraisal_admin, org):
    data = _gather(appraisal_admin)
    people = _people(data)
    cards = ScoreCard.objects.filter(period=may).select_related("staff")
    assert set(people) == {card.staff.full_name for card in cards}
    for card in cards:
        row = people[card.staff.full_name]
        assert row["score"] == float(card.score)
        assert row["previous"] == float(card.previous_score)
        assert row["change"] == float(card.score - card.previous_score)
        assert row["team_rank"] == f"{card.team_rank}/{card.team_size}"
        assert row["branch_rank"] == f"{card.branch_rank}/{card.branch_size}"
    teams = {row["team"]: row for row in _table(data).rows if row["level"] == "team"}
    tm1 = [float(c.score) for c in cards if c.org_node_id == org.tm1.pk]
    assert teams[org.tm1.name]["score"] == round(mean(tm1), 2)
    assert _table(data).totals["score"] == round(mean(float(c.score) for c in cards), 2)
    assert _table(data).totals["people"] == 3
    chart = data.sections[0].blocks[1]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True))[org.tm1.name] == round(
        mean(tm1), 2
    )


def test_no_results_for_an_open_or_missing_period(may, appraisal_admin):
    data = _gather(appraisal_admin, period=ReportPeriod.month(2026, 6))
    assert _table(data).rows == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("account_manager", {"苏婷瑶"}),
        ("supervisor", {"苏婷瑶", "钟欢岚"}),
        ("other_supervisor", {"郭佳"}),
        ("branch_head", {"苏婷瑶", "钟欢岚", "郭佳"}),
        ("appraisal_admin", {"苏婷瑶", "钟欢岚", "郭佳"}),
    ],
)
def test_scope(may, request, who, expected):
    assert set(_people(_gather(request.getfixturevalue(who)))) == expected


def test_narrowed_to_a_team(may, branch_head, org, team2_manager):
    data = _gather(branch_head, node=org.tm2)
    assert set(_people(data)) == {team2_manager.full_name}


def test_query_count_does_not_grow(appraisal_admin, account_manager, team2_manager, other_manager, org):
    people = {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)}
    for n in range(3):
        people[StaffFactory(username=f"am-x{n}", org_node=org.tm3)] = (40 + n, 1)
    computed_may(appraisal_admin, people)

    def count(viewer) -> int:
        with CaptureQueriesContext(connection) as queries:
            _gather(viewer)
        return len(queries)

    count(appraisal_admin)
    many = count(appraisal_admin)
    ScoreCard.objects.filter(staff__username__startswith="am-x").delete()
    assert count(appraisal_admin) == many


def test_formatters_accept_the_data(may, branch_head):
    data = _gather(branch_head)
    assert render_xlsx(data)[:2] == b"PK"
    assert render_pdf(data)[:4] == b"%PDF"
