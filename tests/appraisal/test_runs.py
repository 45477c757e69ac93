"""The run engine: population, values, scales, scores, ranks, re-runs and query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.appraisal.models import AppraisalPeriod, AppraisalSettings, IndicatorResult, ScoreCard
from amdesk.appraisal.services.periods import value_adjust
from amdesk.appraisal.services.runs import period_open, period_run
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.orgs.factories import StaffFactory

from .periods_helpers import MAY, fixed, indicator, manual, open_period, scheme_with

pytestmark = pytest.mark.django_db


def card_of(period, person) -> ScoreCard:
    return ScoreCard.objects.get(period=period, staff=person)


@pytest.fixture
def two_indicators(preset):
    sales = indicator("sales")
    complaints = indicator("complaints", higher_is_better=False)
    scheme = scheme_with(
        [
            (sales, "业绩", 0.6, 1.0, fixed(0, 100)),
            (complaints, "服务", 0.4, 1.0, fixed(0, 10)),
        ]
    )
    return scheme, sales, complaints


def test_a_run_scores_everyone_by_membership_and_weights(
    two_indicators, account_manager, team2_manager, other_manager, appraisal_admin
):
    scheme, sales, complaints = two_indicators
    manual(sales, account_manager, 80)
    manual(complaints, account_manager, 2)
    manual(sales, team2_manager, 150)  # beyond the advanced point: μ clipped to 1
    manual(complaints, team2_manager, 0)
    manual(sales, other_manager, 30)
    manual(complaints, other_manager, 10)
    period = period_run(actor=appraisal_admin, period=open_period(scheme))

    assert period.state == AppraisalPeriod.State.COMPUTED
    # 100 · (0.6 · 0.8 + 0.4 · (1 − 0.2)) = 80
    assert card_of(period, account_manager).score == Decimal("80.00")
    assert card_of(period, team2_manager).score == Decimal("100.00")
    assert card_of(period, other_manager).score == Decimal("18.00")
    first = IndicatorResult.objects.get(card__staff=account_manager, scheme_indicator__indicator=sales)
    assert first.membership == pytest.approx(0.8) and first.contribution == pytest.approx(48.0)
    assert AuditEntry.objects.filter(event=AuditEvent.PERIOD_COMPUTED, target_id=str(period.pk)).exists()


def test_ranks_within_team_and_branch(
    two_indicators, account_manager, team2_manager, other_manager, appraisal_admin, org
):
    scheme, sales, complaints = two_indicators
    colleague = StaffFactory(username="am_b", full_name="同组", org_node=org.tm1)
    for person, value in ((account_manager, 50), (colleague, 70), (team2_manager, 90), (other_manager, 10)):
        manual(sales, person, value)
        manual(complaints, person, 0)
    period = period_run(actor=appraisal_admin, period=open_period(scheme))

    mine = card_of(period, account_manager)
    assert (mine.team_rank, mine.team_size) == (2, 2)
    assert (mine.branch_rank, mine.branch_size) == (3, 4)
    assert mine.org_node == org.tm1 and mine.branch == org.br
    assert card_of(period, team2_manager).team_rank == 1


def test_population_is_the_schemes_roles_under_its_subtree(
    preset, org, account_manager, other_manager, supervisor, appraisal_admin
):
    item = indicator("x")
    scheme = scheme_with([(item, "c", 1.0, 1.0, fixed(0, 10))], org_node=org.sb1)
    period = period_run(actor=appraisal_admin, period=open_period(scheme))
    assert set(period.cards.values_list("staff__username", flat=True)) == {"am"}


def test_missing_value_is_left_out_and_the_others_reweighted(
    two_indicators, account_manager, appraisal_admin
):
    scheme, sales, complaints = two_indicators
    manual(sales, account_manager, 50)  # no complaints value entered
    period = period_run(actor=appraisal_admin, period=open_period(scheme))
    card = card_of(period, account_manager)
    assert card.score == Decimal("50.00")  # judged on sales alone, its weight 1
    missing = card.results.get(scheme_indicator__indicator=complaints)
    assert missing.raw_value is None and missing.weight == 0


def test_percentile_scales_interpolate_over_people_with_values(preset, org, account_manager, appraisal_admin):
    item = indicator("p")
    scheme = scheme_with([(item, "c", 1.0, 1.0, {"low_percentile": 10, "high_percentile": 90})])
    people = [account_manager] + [StaffFactory(username=f"p{n}", org_node=org.tm1) for n in range(4)]
    for person, value in zip(people, (0, 10, 20, 30, 40), strict=True):
        manual(item, person, value)
    StaffFactory(username="novalue", org_node=org.tm1)  # no value: not in the percentiles
    period = period_run(actor=appraisal_admin, period=open_period(scheme))
    result = IndicatorResult.objects.get(card__period=period, card__staff=people[2])
    # rank = 0.1 · 4 = 0.4 → 4; rank 3.6 → 36
    assert (result.low, result.high) == (Decimal("4"), Decimal("36"))
    assert result.membership == pytest.approx(0.5)


def test_collapsed_scale_gives_the_middle_to_those_at_the_common_level(
    preset, org, account_manager, appraisal_admin
):
    item = indicator("flat")
    scheme = scheme_with([(item, "c", 1.0, 1.0, {})])
    others = [StaffFactory(username=f"f{n}", org_node=org.tm1) for n in range(10)]
    for person in [account_manager, *others[:9]]:
        manual(item, person, 5)
    manual(item, others[9], 9)
    period = period_run(actor=appraisal_admin, period=open_period(scheme))
    # ten of eleven at 5: the 10th and 90th percentiles are both 5
    result = IndicatorResult.objects.get(card__period=period, card__staff=account_manager)
    assert result.low == result.high == Decimal(5)
    assert card_of(period, account_manager).score == Decimal("50.00")
    assert card_of(period, others[9]).score == Decimal("100.00")


def test_rerun_keeps_adjustments_and_reads_the_previous_period(
    two_indicators, account_manager, appraisal_admin
):
    scheme, sales, complaints = two_indicators
    april = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 4, 10))
    manual(sales, account_manager, 40, date(2026, 4, 1), date(2026, 4, 30))
    manual(complaints, account_manager, 0, date(2026, 4, 1), date(2026, 4, 30))
    period_run(actor=appraisal_admin, period=april)
    manual(sales, account_manager, 60)
    manual(complaints, account_manager, 0)
    may = period_run(actor=appraisal_admin, period=open_period(scheme))
    result = IndicatorResult.objects.get(card__period=may, scheme_indicator__indicator=sales)
    value_adjust(actor=appraisal_admin, result=result, value=Decimal(90), reason="漏录一笔")

    may = period_run(actor=appraisal_admin, period=may)
    card = card_of(may, account_manager)
    assert card.previous_score == Decimal("64.00")
    assert card.score == Decimal("94.00")
    again = card.results.get(scheme_indicator__indicator=sales)
    assert again.adjusted_value == Decimal(90) and again.adjust_reason == "漏录一笔"
    assert again.raw_value == Decimal(60) and again.previous_value == Decimal(40)


def test_run_reads_visits_from_the_registered_source(preset, org, account_manager, appraisal_admin):
    from amdesk.visits.models import Visit

    item = indicator("visits", source="visits_made")
    scheme = scheme_with([(item, "c", 1.0, 1.0, fixed(0, 4))])
    assert not Visit.objects.exists()
    period = period_run(actor=appraisal_admin, period=open_period(scheme))
    # no visits recorded: the source's empty value (0) counts, not "no value"
    assert card_of(period, account_manager).results.get().raw_value == Decimal(0)


def _run_queries(scheme, appraisal_admin, start):
    period = open_period(scheme, start)
    with CaptureQueriesContext(connection) as queries:
        period_run(actor=appraisal_admin, period=period)
    return len(queries)


def test_queries_do_not_grow_with_the_population(preset, org, appraisal_admin):
    sales = indicator("q1")
    visits = indicator("q2", source="visits_made")
    scheme = scheme_with([(sales, "c", 0.5, 1.0, {}), (visits, "d", 0.5, 1.0, fixed(0, 5))])
    people = [StaffFactory(username=f"q{n}", org_node=org.tm1 if n % 2 else org.tm3) for n in range(3)]
    for person in people:
        manual(sales, person, 10, date(2026, 3, 1), date(2026, 3, 31))
    # Both measured runs have a previous period to read (February's, then March's).
    _run_queries(scheme, appraisal_admin, date(2026, 2, 1))
    small = _run_queries(scheme, appraisal_admin, date(2026, 3, 1))
    people += [StaffFactory(username=f"q{n}", org_node=org.tm2) for n in range(3, 30)]
    for person in people:
        manual(sales, person, person.pk % 7, date(2026, 4, 1), date(2026, 4, 30))
    large = _run_queries(scheme, appraisal_admin, date(2026, 4, 1))
    assert ScoreCard.objects.filter(period__start=date(2026, 4, 1)).count() == 30
    assert small == large


def test_period_open_sets_the_end_and_the_sign_off_day(preset, appraisal_admin):
    scheme = scheme_with([(indicator("d"), "c", 1.0, 1.0, {})], kind="quarter")
    period = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 5, 20))
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    # the 30th of July 2026 is a Thursday
    assert period.sign_off_due == date(2026, 7, 30)


def test_sign_off_day_in_a_short_month_moves_to_the_next_working_day(preset, appraisal_admin):
    settings = AppraisalSettings.current()
    scheme = scheme_with([(indicator("d"), "c", 1.0, 1.0, {})])
    # April 2026 → due 30 May, a Saturday → Monday 1 June
    period = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 4, 5))
    assert period.sign_off_due == date(2026, 6, 1)
    settings.sign_off_day = 31
    settings.save()
    # January 2026 → due in February: its last day, the 28th, a Saturday made a working day (春节调休)
    period = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 1, 5))
    assert period.sign_off_due == date(2026, 2, 28)
    settings.sign_off_following_month = False
    settings.save()
    period = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 6, 1))
    assert period.sign_off_due == date(2026, 6, 30)


def test_only_the_appraisal_admin_runs_and_never_an_approved_period(
    two_indicators, account_manager, supervisor, appraisal_admin
):
    scheme, *_ = two_indicators
    period = open_period(scheme)
    with pytest.raises(PermissionDenied):
        period_run(actor=supervisor, period=period)
    AppraisalPeriod.objects.filter(pk=period.pk).update(state=AppraisalPeriod.State.APPROVED)
    with pytest.raises(ValidationError, match="锁定|locked"):
        period_run(actor=appraisal_admin, period=period)


def test_a_second_period_for_the_same_start_is_refused(two_indicators, appraisal_admin):
    scheme, *_ = two_indicators
    open_period(scheme)
    with pytest.raises(ValidationError):
        period_open(actor=appraisal_admin, scheme=scheme, start=MAY)
