"""The demo shows the survey capability as a user meets it: two finished quarterly rounds and this
quarter's open one, an index with a trend, low scorers with improvement actions (some recorded and
reviewed), links waiting for clients; every row is what the services would have recorded."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from amdesk.demo.builder import DemoBuilder
from amdesk.orgs.models import Staff
from amdesk.surveys.models import (
    ImprovementAction,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveySettings,
)
from amdesk.surveys.selectors import satisfaction_index, satisfaction_trend, survey_desk
from amdesk.surveys.services import quarter_of

CLIENTS = 200


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=11, clients=CLIENTS)
        builder.run()  # its "surveys" step builds the rounds
        yield builder
        transaction.set_rollback(True)


def test_two_finished_quarters_and_an_open_round_about_last_quarter(demo, db):
    rounds = list(SurveyRound.objects.order_by("period_start"))
    assert [r.state for r in rounds] == ["closed", "closed", "open"]
    # a round surveys the quarter before it runs: the open one, running now, asks about last quarter
    this_quarter = quarter_of(demo.today)
    assert (rounds[2].period_start, rounds[2].period_end) == quarter_of(this_quarter[0] - timedelta(days=1))
    assert rounds[2].opens_on >= this_quarter[0] and rounds[2].closes_on >= demo.today
    assert rounds[1].period_end == rounds[2].period_start - timedelta(days=1)
    assert rounds[0].period_end == rounds[1].period_start - timedelta(days=1)
    for survey_round in rounds[:2]:
        assert survey_round.opens_on > survey_round.period_end and survey_round.closes_on < demo.today
    assert "季度客户满意度调查" in rounds[2].name
    # the daily job would prepare this quarter's round by itself
    assert SurveySettings.current().default_questionnaire_id == rounds[2].questionnaire_id
    for survey_round in rounds[:2]:
        # finished: most answered, the rest expired; answers dated within the round
        states = set(SurveyInvitation.objects.filter(round=survey_round).values_list("state", flat=True))
        assert states <= {"answered", "expired"} and "answered" in states
        for response in SurveyResponse.objects.filter(round=survey_round):
            day = timezone.localtime(response.answered_at).date()
            assert survey_round.opens_on <= day <= survey_round.closes_on
    current = SurveyInvitation.objects.filter(round=rounds[2])
    assert current.filter(state="answered").exists() and current.filter(state="pending").exists()
    # links waiting for clients, and answers given on links, visits and by phone
    assert current.filter(state="pending", token_hash__gt="").exists()
    assert set(SurveyResponse.objects.values_list("mode", flat=True)) == {"link", "visit", "phone"}
    assert not SurveyResponse.objects.filter(mode="link", recorded_by__isnull=False).exists()
    assert not SurveyResponse.objects.exclude(mode="link").exclude(recorded_by=F("owner")).exists()


def test_responses_belong_to_the_clients_owner_and_carry_an_index(demo, db):
    assert not SurveyResponse.objects.exclude(
        owner=F("client__owner"), org_node=F("client__org_node")
    ).exists()
    assert not SurveyResponse.objects.filter(index__isnull=True).exists()
    assert not SurveyInvitation.objects.filter(state="answered", response__isnull=True).exists()


def test_the_index_has_a_trend_and_low_scorers_have_improvement_actions(demo, db):
    head = Staff.objects.get(username="head1")
    trend = satisfaction_trend(viewer=head, group_by="owner", quarters=3)
    assert len(trend.quarters) == 3 and all(value is not None for value in trend.total.values)
    assert any(row.change not in (None, 0) for row in trend.rows)
    latest_closed = SurveyRound.objects.filter(state="closed").order_by("-period_start").first()
    index = satisfaction_index(viewer=head, survey_round=latest_closed)
    assert index.rows[0].index < index.threshold <= index.rows[-1].index
    actions = ImprovementAction.objects.all()
    assert actions.filter(owner__username="am01").exists()
    assert actions.filter(state="done", reviewed_by=F("owner__supervisor")).exists()
    assert actions.filter(round=latest_closed, state="open").exists()
    assert actions.filter(round=latest_closed, state="submitted").exists()


def test_am01s_desk_has_clients_to_survey(demo, db):
    am01 = Staff.objects.get(username="am01")
    desk = survey_desk(viewer=am01)
    assert desk["pending_count"] > 0 and desk["actions"]
