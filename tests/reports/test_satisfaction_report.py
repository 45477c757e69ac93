"""The quarterly satisfaction analysis: the same index as the survey pages, per AM, team and branch
against the previous quarter; rounds, lowest questions, suggestions; scope; query count; formatters."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amdesk.reports.framework.base import ReportPeriod
from amdesk.reports.framework.render import render_pdf, render_xlsx
from amdesk.reports.generators.satisfaction import SatisfactionReport
from amdesk.surveys.selectors import satisfaction_index
from amdesk.surveys.services import quarter_of
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.surveys.factories import answer, invitation_of, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(admin, account_manager, team2_manager, other_manager):
    """As tests/surveys/test_index.py: previous quarter account_manager 41.7; this quarter
    account_manager 100 and 25 (one client did not answer), team2_manager 72.92, other_manager 75."""
    questionnaire = make_questionnaire(admin)
    a1 = make_client(account_manager, name="甲一", tier="key", lifecycle="won")
    a2 = make_client(account_manager, name="甲二", tier="key", lifecycle="won")
    make_client(account_manager, name="甲三", tier="key", lifecycle="influencer")
    b1 = make_client(team2_manager, name="乙一", tier="key", lifecycle="won")
    c1 = make_client(other_manager, name="丙一", tier="key", lifecycle="won")
    start = quarter_of(timezone.localdate())[0]
    before = make_round(admin, questionnaire, start=quarter_of(start - timedelta(days=1))[0], name="上一季度")
    answer(invitation_of(before, a1), rating5=3, rating10=1, nps=5)
    answer(invitation_of(before, a2), rating5=3, rating10=4, nps=5)
    current = make_round(admin, questionnaire, start=start, name="本季度")
    answer(invitation_of(current, a1), rating5=5, rating10=10, nps=10, text="服务很周到")
    answer(invitation_of(current, a2), rating5=1, rating10=10, nps=6, text="回复太慢")
    answer(invitation_of(current, b1), rating5=4, rating10=7, nps=9)
    answer(invitation_of(current, c1), rating5=5, rating10=1, nps=3, text="网点太远")
    return before, current


def _period() -> ReportPeriod:
    return ReportPeriod.containing("quarter", timezone.localdate())


def _gather(viewer, node=None):
    return SatisfactionReport(viewer=viewer, period=_period(), node=node).gather()


def _index_table(data):
    return data.sections[1].blocks[0]


def _am_rows(data):
    return {row["am"]: row for row in _index_table(data).rows if row["level"] == "am"}


def test_index_equals_the_survey_pages(survey, admin, account_manager, team2_manager, org):
    data = _gather(admin)
    rows = _am_rows(data)
    page = {row.label: row for row in satisfaction_index(viewer=admin, quarter=_period().start).rows}
    for name, row in rows.items():
        assert (row["index"], row["responses"], row["invited"]) == (
            page[name].shown,
            page[name].responses,
            page[name].invited,
        )
    mine = rows[account_manager.full_name]
    assert (mine["invited"], mine["responses"], mine["index"]) == (3, 2, 62.5)
    assert (mine["previous"], mine["change"]) == (41.7, 20.8)
    teams = {row["team"]: row for row in _index_table(data).rows if row["level"] == "team"}
    team_page = {
        row.label: row
        for row in satisfaction_index(viewer=admin, quarter=_period().start, group_by="team").rows
    }
    assert teams[org.tm2.name]["index"] == team_page[org.tm2.name].shown == 72.9
    totals = _index_table(data).totals
    assert totals["responses"] == 4 and totals["invited"] == 5
    assert totals["index"] == satisfaction_index(viewer=admin, quarter=_period().start).total.shown
    assert totals["previous"] == 41.7


def test_rounds_questions_and_suggestions(survey, admin):
    _before, current = survey
    data = _gather(admin)
    rounds = data.sections[0].blocks[0]
    assert [row["round"] for row in rounds.rows] == [current.name]
    assert (rounds.rows[0]["invited"], rounds.rows[0]["responses"]) == (5, 4)
    lowest = data.sections[2].blocks[0]
    # 专业能力 (1–10): 100, 100, 66.67, 0 → 66.7; 服务态度 (1–5): 100, 0, 75, 100 → 68.8
    assert lowest.rows[0]["question"] == "专业能力" and lowest.rows[0]["score"] == 66.7
    suggestions = data.sections[2].blocks[1]
    assert len(suggestions.items) == 3
    assert any("回复太慢" in item for item in suggestions.items)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("account_manager", {"苏婷瑶"}),
        ("supervisor", {"苏婷瑶", "钟欢岚"}),
        ("other_supervisor", {"郭佳"}),
        ("branch_head", {"苏婷瑶", "钟欢岚", "郭佳"}),
    ],
)
def test_scope(survey, request, who, expected):
    data = _gather(request.getfixturevalue(who))
    assert set(_am_rows(data)) == expected


def test_narrowed_to_a_team(survey, branch_head, org, team2_manager):
    data = _gather(branch_head, node=org.tm2)
    assert set(_am_rows(data)) == {team2_manager.full_name}
    assert _index_table(data).totals["index"] == 72.9
    assert data.sections[2].blocks[1].items == []


def test_query_count_does_not_grow(survey, admin, org):
    _before, current = survey

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _gather(admin)
        return len(queries)

    count()
    before = count()
    for n in range(3):
        person = StaffFactory(username=f"am-more-{n}", org_node=org.tm3)
        client = make_client(person, name=f"新客户{n}", tier="key", lifecycle="won")
        other = make_questionnaire(admin, title=f"补充问卷{n}")
        extra = make_round(admin, other, start=current.period_start, name=f"补充{n}")
        answer(invitation_of(extra, client), rating5=2, rating10=5, nps=7, text="希望多联系")
    assert count() == before


def test_formatters_accept_the_data(survey, branch_head):
    data = _gather(branch_head)
    assert render_xlsx(data)[:2] == b"PK"
    assert render_pdf(data)[:4] == b"%PDF"
