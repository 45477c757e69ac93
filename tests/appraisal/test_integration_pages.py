"""The appraisal pages hold together: the admin's overview reaches every area of his work, the team
page shows the staffing ratios beside the results, and a person's score shows the training credits
he earned in the period."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from amdesk.appraisal.models import StaffingRatio, TrainingAttendance, TrainingSession
from amdesk.orgs.models import Role

from .periods_helpers import computed_may

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
