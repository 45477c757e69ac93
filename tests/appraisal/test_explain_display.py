"""How an explained score reads: amounts grouped by thousands, the trend drawn to scale, and on a
collapsed scale the advice to go beyond the common level (reaching it is what he already did)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from amdesk.appraisal.selectors.explain import plain

from .periods_helpers import MAY, indicator, manual, open_period, scheme_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Decimal("28859540.2730"), "28,859,540.27"),
        (Decimal("1000.0000"), "1,000"),
        (Decimal("-1538.5000"), "-1,538.50"),
        (Decimal("100.0000"), "100"),
        (Decimal("0.5000"), "0.5"),
        (Decimal("66.6030"), "66.603"),
        (None, ""),
    ],
)
def test_numbers_read_as_amounts(number, text):
    assert plain(number) == text


def test_a_collapsed_scale_advises_going_beyond_and_the_trend_is_drawn_to_scale(
    preset, client_for, appraisal_admin, account_manager, team2_manager
):
    from amdesk.appraisal.services.runs import period_run

    sales = indicator("sales")  # percentile ends: everyone at 3 collapses the scale
    profit = indicator("profit", unit="万元")
    scheme = scheme_with([(sales, "业绩", 0.5, 1.0, None), (profit, "效益", 0.5, 1.0, None)])
    for person, value in ((account_manager, 12000), (team2_manager, 2500)):
        manual(sales, person, 3)
        manual(profit, person, value)
    period_run(actor=appraisal_admin, period=open_period(scheme, MAY))
    html = client_for(team2_manager).get(reverse("appraisal:my-score")).content.decode()
    advice = html.split('data-testid="raise-most"', 1)[1].split("</ul>", 1)[0]
    assert "指标sales：超过 3分" in advice  # at the common level μ = 0.5: beyond it is 1
    # profit's ends are the 10th and 90th percentiles of 2,500 and 12,000: 3,450 and 11,050
    assert "指标profit：达到 11,050万元" in advice
    # His score, 25 (sales 0.5 × 0.5, profit 0), is drawn a quarter high in the trend
    assert 'data-testid="card-score">25.00<' in html
    assert "height:25%" in html.split('data-testid="card-trend"', 1)[1]
