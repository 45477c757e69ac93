"""The account manager's score page and the explained card, in scope."""

import pytest
from django.urls import reverse

from amdesk.appraisal.models import ScoreCard

from .periods_helpers import computed_may

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin,
        {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)},
        april={account_manager: (60, 4)},
    )


def test_my_score_shows_score_ranks_contributions_and_what_would_raise_it(may, client_for, account_manager):
    page = client_for(account_manager).get(reverse("appraisal:my-score"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="card-score">72.00<' in html
    assert 'data-testid="card-change">+12.00<' in html
    assert 'data-testid="card-team-rank">1 / 1<' in html
    assert 'data-testid="card-branch-rank">1 / 3<' in html
    assert "最能提高得分的指标" in html and "指标complaints：达到 0分" in html
    assert 'data-testid="line-sales"' in html


def test_my_score_before_any_run(preset, client_for, account_manager):
    page = client_for(account_manager).get(reverse("appraisal:my-score"))
    assert 'data-testid="no-score"' in page.content.decode()


def test_card_detail_is_scoped(
    may, client_for, account_manager, team2_manager, supervisor, other_supervisor, branch_head
):
    card = ScoreCard.objects.get(period=may, staff=account_manager).pk
    url = reverse("appraisal:card-detail", args=[card])
    assert client_for(account_manager).get(url).status_code == 200
    assert client_for(supervisor).get(url).status_code == 200
    assert client_for(branch_head).get(url).status_code == 200
    assert client_for(team2_manager).get(url).status_code == 404
    assert client_for(other_supervisor).get(url).status_code == 404


def test_admin_adjusts_from_the_card_and_a_bad_value_keeps_what_was_typed(
    may, client_for, appraisal_admin, account_manager
):
    card = ScoreCard.objects.get(period=may, staff=account_manager)
    result = card.results.get(scheme_indicator__indicator__code="sales")
    browser = client_for(appraisal_admin)
    url = reverse("appraisal:result-adjust", args=[result.pk])
    refused = browser.post(url, {"value": "12x", "reason": "补录", "revision": may.revision})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "请输入数字" in html and 'value="12x"' in html and 'value="补录"' in html
    done = browser.post(url, {"value": "100", "reason": "补录", "revision": may.revision}, follow=True)
    assert "数值已调整" in done.content.decode()
    card.refresh_from_db()
    assert str(card.score) == "84.00"


def test_an_am_cannot_adjust(may, client_for, account_manager):
    result = ScoreCard.objects.get(period=may, staff=account_manager).results.first()
    response = client_for(account_manager).post(
        reverse("appraisal:result-adjust", args=[result.pk]), {"value": "100", "reason": "x"}
    )
    assert response.status_code == 404
