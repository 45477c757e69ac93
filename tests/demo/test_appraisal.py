"""The demo shows appraisal as hr1, a supervisor and an AM meet it: the bank scheme active with every
level consistent, two approved months whose ladder moves are decided (the first) or waiting (the
second), the month just ended computed and waiting for most teams' sign-off, explained scores, manual
values entered, training each month (one team short this month), selling teams on key clients and
three DISC candidates ranked against the AM model."""

import pytest
from django.db import transaction
from django.test import override_settings

from amdesk.appraisal.models import (
    AppraisalPeriod,
    DiscProfile,
    IndicatorResult,
    LadderProposal,
    ManualValue,
    Scheme,
    ScoreCard,
    SellingTeamMember,
    TrainingSession,
)
from amdesk.demo.builder import DemoBuilder

STEPS = (
    "preset",
    "org",
    "people",
    "grades",
    "clients",
    "figures",
    "visits",
    "service",
    "planning",
    "appraisal",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=7, clients=240)
        labels = [label for label, _step in builder.steps()]
        assert set(STEPS) <= set(labels)
        for label, step in builder.steps():
            if label in STEPS:
                step()
        yield builder
        transaction.set_rollback(True)


def test_the_bank_scheme_is_active_and_consistent(demo, db):
    scheme = Scheme.objects.get(code="bank-am-monthly")
    version = scheme.active_version
    assert version is not None and version.consistency_ratio < 0.1
    criteria = list(version.criteria.all())
    assert len(criteria) == 5
    assert all(
        criterion.consistency_ratio is None or criterion.consistency_ratio < 0.1 for criterion in criteria
    )
    assert abs(sum(criterion.weight for criterion in criteria) - 1) < 1e-6


def test_two_approved_months_and_one_waiting_for_sign_off(demo, db):
    periods = list(AppraisalPeriod.objects.order_by("start"))
    assert [period.state for period in periods] == ["approved", "approved", "computed"]
    for period in periods:
        # Every AM scored, with every indicator explained
        assert period.cards.count() == len(demo.account_managers)
        assert IndicatorResult.objects.filter(card__period=period).count() == period.cards.count() * 14
    scores = list(ScoreCard.objects.filter(period=periods[-1]).values_list("score", flat=True))
    assert len(set(scores)) > len(scores) // 2, "scores spread over the AMs"
    # Most teams still have to hand in the month's sheet
    assert 0 < periods[-1].sign_offs.count() < len({am.org_node_id for am in demo.account_managers})
    assert ManualValue.objects.filter(period_start=periods[-1].start).exists()


def test_ladder_moves_decided_for_the_first_month_and_waiting_for_the_second(demo, db):
    first, second, _open = AppraisalPeriod.objects.order_by("start")
    assert not LadderProposal.objects.filter(period=first, state="pending").exists()
    assert LadderProposal.objects.filter(period=second, state="pending").exists()


def test_training_selling_teams_and_disc_candidates(demo, db):
    assert TrainingSession.objects.count() >= 8
    assert SellingTeamMember.objects.values("client").distinct().count() >= 1
    assert DiscProfile.objects.count() == 3
