"""The satisfaction index per AM, team and branch, its trend, NPS, the analysis report, and their scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amdesk.orgs.models import OrgLevel
from amdesk.surveys.models import SurveySettings
from amdesk.surveys.selectors import (
    analysis_report,
    low_scorers,
    round_response_rates,
    satisfaction_index,
    satisfaction_trend,
)
from amdesk.surveys.services import quarter_of, survey_responses_reindex
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_questionnaire, make_round, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(admin, account_manager, team2_manager, other_manager):
    """Two rounds of one questionnaire (weights: rating 1–5 ×3, rating 1–10 ×1).

    Previous round: account_manager 40.
    This round: account_manager 100 and 25 (one client did not answer), team2_manager 72.92, other_manager 75.
    """
    questionnaire = make_questionnaire(admin)
    a1 = make_client(account_manager, name="甲一", tier="key", lifecycle="won")
    a2 = make_client(account_manager, name="甲二", tier="key", lifecycle="won")
    make_client(account_manager, name="甲三", tier="key", lifecycle="influencer")
    b1 = make_client(team2_manager, name="乙一", tier="key", lifecycle="won")
    c1 = make_client(other_manager, name="丙一", tier="key", lifecycle="won")
    start = quarter_of(timezone.localdate())[0]
    before = make_round(admin, questionnaire, start=quarter_of(start - timedelta(days=1))[0], name="上一季度")
    answer(invitation_of(before, a1), rating5=3, rating10=1, nps=5)  # (3·50 + 0) / 4 = 37.5
    answer(invitation_of(before, a2), rating5=3, rating10=4, nps=5)  # (3·50 + 33.33) / 4 = 45.83 → mean 41.7
    current = make_round(admin, questionnaire, start=start, name="本季度")
    answer(invitation_of(current, a1), rating5=5, rating10=10, nps=10, text="服务很周到")  # 100
    answer(invitation_of(current, a2), rating5=1, rating10=10, nps=6, text="回复太慢")  # (0 + 100) / 4 = 25
    answer(invitation_of(current, b1), rating5=4, rating10=7, nps=9)  # (3·75 + 66.67) / 4 = 72.92
    answer(invitation_of(current, c1), rating5=5, rating10=1, nps=3, text="网点太远")  # 75
    return before, current


def _by_label(result):
    return {row.label: row for row in result.rows}


def test_index_per_account_manager(survey, admin, account_manager, team2_manager, other_manager):
    _before, current = survey
    result = satisfaction_index(viewer=admin, survey_round=current)
    rows = _by_label(result)
    am = rows[account_manager.full_name]
    assert (am.invited, am.responses, am.index, am.response_rate) == (3, 2, 62.5, 66.7)
    assert am.previous == 41.7 and am.change == 20.8
    assert rows[team2_manager.full_name].index == 72.9
    assert rows[other_manager.full_name].index == 75.0
    # lowest first
    assert [r.label for r in result.rows][0] == account_manager.full_name
    assert result.total.responses == 4 and result.total.invited == 5
    assert result.total.index == pytest.approx((100 + 25 + 72.92 + 75) / 4, abs=0.05)


def test_nps(survey, admin, account_manager):
    _before, current = survey
    result = satisfaction_index(viewer=admin, survey_round=current)
    # promoters 10 and 9, detractors 6 and 3 → 0
    assert (result.total.promoters, result.total.detractors, result.total.nps) == (2, 2, 0.0)
    am = _by_label(result)[account_manager.full_name]
    assert am.nps == 0.0  # one promoter, one detractor


def test_index_per_team_and_branch(survey, admin, org):
    _before, current = survey
    teams = _by_label(satisfaction_index(viewer=admin, survey_round=current, group_by="team"))
    assert (teams[org.tm1.name].index, teams[org.tm2.name].index, teams[org.tm3.name].index) == (
        62.5,
        72.9,
        75.0,
    )
    branches = satisfaction_index(viewer=admin, survey_round=current, group_by="branch")
    assert [(r.label, r.responses) for r in branches.rows] == [(org.br.name, 4)]
    assert branches.rows[0].index == pytest.approx(68.2, abs=0.05)
    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    sub_branches = _by_label(satisfaction_index(viewer=admin, survey_round=current, group_by="branch"))
    assert sub_branches[org.sb1.name].index == pytest.approx((100 + 25 + 72.92) / 3, abs=0.05)
    assert sub_branches[org.sb2.name].index == 75.0


def test_index_scale_shown(survey, admin):
    _before, current = survey
    SurveySettings.objects.update_or_create(pk=1, defaults={"index_scale": 5})
    result = satisfaction_index(viewer=admin, survey_round=current, group_by="team")
    assert {r.shown for r in result.rows} == {3.1, 3.6, 3.8}  # 62.5, 72.9, 75 on 0–5


def test_index_is_scoped(survey, account_manager, supervisor, other_supervisor, team2_manager, other_manager):
    _before, current = survey
    assert [r.label for r in satisfaction_index(viewer=account_manager, survey_round=current).rows] == [
        account_manager.full_name
    ]
    assert {r.label for r in satisfaction_index(viewer=supervisor, survey_round=current).rows} == {
        account_manager.full_name,
        team2_manager.full_name,
    }
    mine = satisfaction_index(viewer=other_supervisor, survey_round=current)
    assert [r.label for r in mine.rows] == [other_manager.full_name] and mine.total.responses == 1


def test_latest_round_by_default(survey, admin):
    _before, current = survey
    assert satisfaction_index(viewer=admin).survey_round == current


def test_trend(survey, admin, supervisor, account_manager, team2_manager):
    before, current = survey
    trend = satisfaction_trend(viewer=supervisor, group_by="owner", quarters=4)
    assert [q.start for q in trend.quarters] == [before.period_start, current.period_start]
    rows = {r.label: r for r in trend.rows}
    assert rows[account_manager.full_name].values == [41.7, 62.5]
    assert rows[account_manager.full_name].change == 20.8
    assert rows[team2_manager.full_name].values == [None, 72.9]
    assert trend.total.values == [41.7, pytest.approx((100 + 25 + 72.92) / 3, abs=0.05)]
    assert [q.start for q in satisfaction_trend(viewer=admin, quarters=1).quarters] == [current.period_start]


def test_query_counts_do_not_grow(survey, admin, supervisor, django_assert_max_num_queries):
    _before, current = survey
    for viewer in (admin, supervisor):
        for group_by in ("owner", "team", "branch"):
            with django_assert_max_num_queries(10):
                satisfaction_index(viewer=viewer, survey_round=current, group_by=group_by)
            with django_assert_max_num_queries(6):
                satisfaction_trend(viewer=viewer, group_by=group_by)
            with django_assert_max_num_queries(6):
                round_response_rates(viewer=viewer, survey_round=current, group_by=group_by)
        with django_assert_max_num_queries(14):
            analysis_report(viewer=viewer, survey_round=current)


def test_response_rates(survey, supervisor, account_manager, team2_manager):
    _before, current = survey
    rates = {r.label: r for r in round_response_rates(viewer=supervisor, survey_round=current)}
    assert set(rates) == {account_manager.full_name, team2_manager.full_name}
    assert (rates[account_manager.full_name].answered, rates[account_manager.full_name].invited) == (2, 3)
    assert rates[team2_manager.full_name].rate == 100.0


def test_low_scorers(survey, admin, account_manager):
    _before, current = survey
    SurveySettings.objects.update_or_create(
        pk=1, defaults={"low_score_threshold": 70, "min_responses_for_action": 1}
    )
    assert [r.label for r in low_scorers(viewer=admin, survey_round=current)] == [account_manager.full_name]


def test_analysis_report(survey, admin, supervisor):
    _before, current = survey
    report = analysis_report(viewer=admin, survey_round=current)
    assert report.responses == 4
    stats = {s.question.text: s for s in report.questions}
    assert stats["服务态度"].mean == pytest.approx((5 + 1 + 4 + 5) / 4, abs=0.05)
    assert stats["服务态度"].score == pytest.approx((100 + 0 + 75 + 100) / 4, abs=0.05)
    assert stats["推荐意愿"].nps == 0.0
    # choices: nobody answered the optional contact question
    assert [(o.option.label, o.count) for o in stats["联系方式"].options] == [("上门", 0), ("电话", 0)]
    assert {d.label for d in report.dimensions} == {"服务态度", "专业能力"}
    tiers = {row.key: row for row in report.segments["tier"]}
    assert tiers["key"].responses == 4
    assert sorted(c.text for c in report.comments) == ["回复太慢", "服务很周到", "网点太远"]
    # the supervisor's report holds his teams' comments only
    assert sorted(c.text for c in analysis_report(viewer=supervisor, survey_round=current).comments) == [
        "回复太慢",
        "服务很周到",
    ]


def test_choice_distribution(admin, account_manager):
    questionnaire = make_questionnaire(admin)
    clients = [make_client(account_manager, name=f"丁{i}", tier="key", lifecycle="won") for i in range(3)]
    survey_round = make_round(admin, questionnaire)
    questions = questions_of(questionnaire)
    contact = questions["联系方式"]
    visit, phone = contact.options.order_by("order")
    from amdesk.surveys.services import survey_answer_record

    for client, option in zip(clients, (visit, phone, phone), strict=True):
        survey_answer_record(
            actor=account_manager,
            invitation=invitation_of(survey_round, client),
            answers={
                questions["服务态度"].pk: 5,
                questions["专业能力"].pk: 10,
                questions["推荐意愿"].pk: 10,
                contact.pk: option.pk,
            },
        )
    stat = next(
        s for s in analysis_report(viewer=admin, survey_round=survey_round).questions if s.question == contact
    )
    assert [(o.option.label, o.count, o.percent) for o in stat.options] == [
        ("上门", 1, 33.3),
        ("电话", 2, 66.7),
    ]
    assert stat.score == pytest.approx((100 + 50 + 50) / 3, abs=0.05)


def test_reindex_after_a_weight_fix(survey, admin):
    _before, current = survey
    from amdesk.surveys.models import Question, SurveyResponse

    # an administrator corrects the weights in the database (published questionnaires are not edited)
    Question.objects.filter(questionnaire=current.questionnaire, text="专业能力").update(weight=3)
    assert survey_responses_reindex(survey_round=current) == 4
    indexes = sorted(
        float(i) for i in SurveyResponse.objects.filter(round=current).values_list("index", flat=True)
    )
    # (3·v5 + 3·v10) / 6: (0+100)/2=50, (75+66.67)/2=70.83, (100+0)/2=50, 100
    assert indexes == [50.0, 50.0, pytest.approx(70.83, abs=0.02), 100.0]


def test_rounds_of_other_units_stay_out_of_the_trend(survey, admin, other_supervisor, supervisor, org):
    before, current = survey
    team3 = make_round(other_supervisor, current.questionnaire, org_node=org.tm3, name="三队专项")
    # the team 3 round is the latest for its supervisor and the admin, not for team 1 and 2's supervisor
    assert satisfaction_index(viewer=other_supervisor).survey_round == team3
    assert satisfaction_index(viewer=supervisor).survey_round == current
    quarters = [before.period_start, current.period_start]
    assert [q.start for q in satisfaction_trend(viewer=supervisor).quarters] == quarters
    # team 3's round surveys the same quarter as the whole-organisation one: one point, not two
    assert [q.start for q in satisfaction_trend(viewer=admin).quarters] == quarters


def test_two_rounds_in_a_quarter_make_one_point_of_the_trend(survey, admin, other_supervisor, org):
    # Given a second round over this quarter (team 3's own), answered by team 3's client
    before, current = survey
    team3 = make_round(other_supervisor, current.questionnaire, org_node=org.tm3, name="三队专项")
    c1 = current.invitations.get(client__name="丙一").client
    answer(invitation_of(team3, c1), rating5=3, rating10=1)  # (3·50 + 0) / 4 = 37.5
    # When the admin looks at the trend per AM, the quarter is one column…
    trend = satisfaction_trend(viewer=admin, group_by="owner")
    assert [q.start for q in trend.quarters] == [before.period_start, current.period_start]
    # … holding both rounds' answers: the total is the mean of all five of this quarter's responses
    assert trend.total.values[-1] == pytest.approx((100 + 25 + 72.92 + 75 + 37.5) / 5, abs=0.05)
    other = {r.label: r for r in trend.rows}
    assert other[c1.owner.full_name].values[-1] == pytest.approx((75 + 37.5) / 2, abs=0.05)
    # and the index of the quarter (every round over it) counts them too
    quarter = satisfaction_index(viewer=admin, quarter=current.period_start)
    assert quarter.total.responses == 5 and quarter.survey_round is None
