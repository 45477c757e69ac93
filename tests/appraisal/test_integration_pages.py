"""The appraisal pages hold together: the admin's overview reaches every area of his work, the team
page shows the staffing ratios beside the results, and a person's score shows the training credits
he earned in the period."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from amdesk.appraisal.models import StaffingRatio, TrainingAttendance, TrainingSession
from amdesk.orgs.models import Role

from .periods_helpers import MAY, computed_may

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)}
    )


def test_the_admin_overview_reaches_every_area(may, client_for, appraisal_admin):
    browser = client_for(appraisal_admin)
    html = browser.get(reverse("appraisal:admin-overview")).content.decode()
    assert 'data-testid="work-areas"' in html
    names = [
        "library", "manual-values", "schemes", "period-list", "team", "ladder-proposals",
        "pay-sheet", "disc", "training", "staffing",
    ]  # fmt: skip
    for name in names:
        url = reverse(f"appraisal:{name}")
        assert f'href="{url}"' in html, name
        assert browser.get(url).status_code == 200, name
    # The ladder proposals waiting link to where they are decided
    assert f'<a href="{reverse("appraisal:ladder-proposals")}">' in html


def test_the_team_page_shows_the_staffing_ratios_beside_the_results(may, client_for, branch_head, org):
    StaffingRatio.objects.all().delete()
    StaffingRatio.objects.create(
        role=Role.objects.get(code="product_manager"),
        per_role=Role.objects.get(code="account_manager"),
        per_count=3,
    )
    html = client_for(branch_head).get(reverse("appraisal:team")).content.decode()
    assert 'data-testid="cards-table"' in html
    # No product manager in the fixture's teams: each team with account managers is one short
    assert 'data-testid="staffing"' in html
    assert "table-danger" in html.split('data-testid="staffing"', 1)[1]


def test_the_score_shows_the_training_credits_of_the_period(may, client_for, account_manager, org):
    inside = TrainingSession.objects.create(
        topic="理财产品",
        held_on=date(2026, 5, 12),
        hours=Decimal(2),
        trainer="李讲师",
        org_node=org.tm1,
        credits=3,
    )
    before = TrainingSession.objects.create(
        topic="合规",
        held_on=date(2026, 4, 20),
        hours=Decimal(2),
        trainer="李讲师",
        org_node=org.tm1,
        credits=5,
    )
    for session in (inside, before):
        TrainingAttendance.objects.create(
            session=session, staff=account_manager, attended=True, credits=session.credits
        )
    html = client_for(account_manager).get(reverse("appraisal:my-score")).content.decode()
    credits = html.split('data-testid="card-training-credits">', 1)[1].split("</p>", 1)[0]
    assert "3" in credits and "5" not in credits  # only May's session counts for the May period


@pytest.mark.parametrize(
    ("today", "suggested"),
    [("2026-12-07", "2026-11"), ("2027-01-02", "2026-12"), ("2026-03-31", "2026-02")],
)
def test_the_overview_suggests_the_month_that_has_ended(
    preset, client_for, appraisal_admin, today, suggested
):
    from zoneinfo import ZoneInfo

    import time_machine

    from .periods_helpers import indicator, scheme_with

    scheme_with([(indicator("sales"), "业绩", 1.0, 1.0, None)])
    day = date.fromisoformat(today)
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        html = client_for(appraisal_admin).get(reverse("appraisal:admin-overview")).content.decode()
    to_open = html.split('data-testid="to-open"', 1)[1].split("</ul>", 1)[0]
    assert suggested in to_open  # the month just ended, not the one still running
    assert f'value="{suggested}-01"' in to_open


def test_the_change_compares_with_the_last_period_that_was_run(preset, appraisal_admin, account_manager):
    from amdesk.appraisal.models import ScoreCard
    from amdesk.appraisal.services.runs import period_open, period_run

    from .periods_helpers import fixed, indicator, manual, scheme_with

    sales = indicator("sales")
    scheme = scheme_with([(sales, "业绩", 1.0, 1.0, fixed(0, 100))])
    # March computed at 40; April opened but never run; May at 70
    manual(sales, account_manager, 40, date(2026, 3, 1), date(2026, 3, 31))
    period_run(
        actor=appraisal_admin,
        period=period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 3, 1)),
    )
    period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 4, 1))
    manual(sales, account_manager, 70)
    may = period_run(
        actor=appraisal_admin,
        period=period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 5, 1)),
    )
    card = ScoreCard.objects.get(period=may, staff=account_manager)
    assert (card.score, card.previous_score) == (Decimal("70.00"), Decimal("40.00"))
    assert card.results.get().previous_value == Decimal(40)


def test_a_due_day_in_a_year_without_the_official_calendar_is_marked_provisional(
    preset, client_for, appraisal_admin, supervisor, account_manager
):
    from amdesk.appraisal.services.runs import period_open, period_run

    from .periods_helpers import fixed, indicator, manual, scheme_with

    sales = indicator("sales")
    scheme = scheme_with([(sales, "业绩", 1.0, 1.0, fixed(0, 100))])
    manual(sales, account_manager, 50)
    may = period_run(
        actor=appraisal_admin, period=period_open(actor=appraisal_admin, scheme=scheme, start=MAY)
    )
    manual(sales, account_manager, 60, date(2026, 12, 1), date(2026, 12, 31))
    december = period_open(actor=appraisal_admin, scheme=scheme, start=date(2026, 12, 1))
    december = period_run(actor=appraisal_admin, period=december)
    # 2026's calendar is official: June 30th stands; December's sheets fall due in 2027, not yet official
    assert may.sign_off_due == date(2026, 6, 30) and not may.sign_off_due_provisional
    assert december.sign_off_due.year == 2027 and december.sign_off_due_provisional
    browser = client_for(supervisor)
    url = reverse("appraisal:team")
    assert 'data-testid="due-provisional"' not in browser.get(url, {"period": may.pk}).content.decode()
    assert 'data-testid="due-provisional"' in browser.get(url, {"period": december.pk}).content.decode()
