"""Explanations: every line's numbers, what would raise the score most, the trend."""

from decimal import Decimal

import pytest

from amdesk.appraisal.models import ScoreCard
from amdesk.appraisal.selectors.explain import card_explain

from .periods_helpers import computed_may

pytestmark = pytest.mark.django_db


def test_explanation_of_a_card(appraisal_admin, account_manager, team2_manager):
    may = computed_may(
        appraisal_admin,
        {account_manager: (80, 4), team2_manager: (50, 0)},
        april={account_manager: (60, 4), team2_manager: (50, 0)},
    )
    explained = card_explain(ScoreCard.objects.get(period=may, staff=account_manager))
    sales, complaints = explained.lines
    assert (sales.value, sales.laggard, sales.advanced, sales.membership) == (
        Decimal(80),
        0,
        100,
        pytest.approx(0.8),
    )
    assert sales.weight == pytest.approx(0.6) and sales.contribution == pytest.approx(48.0)
    assert sales.change == Decimal(20)
    # lower is better: the advanced point is the low end
    assert (complaints.laggard, complaints.advanced) == (Decimal(10), Decimal(0))
    assert complaints.membership == pytest.approx(0.6)
    # 100 · (0.6·0.8 + 0.4·0.6) = 72, up from 100 · (0.6·0.6 + 0.4·0.6) = 60
    assert explained.card.score == Decimal("72.00") and explained.change == Decimal("12.00")
    # complaints gain (1−0.6)·0.4·100 = 16 points, sales (1−0.8)·0.6·100 = 12
    assert [line.label for line in explained.raise_most] == [complaints.label, sales.label]
    assert explained.raise_most[0].gain == pytest.approx(16.0)
    assert [point["label"] for point in explained.trend] == ["2026-04", "2026-05"]


def test_explanation_says_when_a_value_is_missing(appraisal_admin, account_manager):
    may = computed_may(appraisal_admin, {account_manager: (80, None)})
    explained = card_explain(ScoreCard.objects.get(period=may, staff=account_manager))
    assert explained.card.score == Decimal("80.00")
    assert explained.lines[1].value is None and "权重" in explained.lines[1].notes[0]
    assert explained.notes
