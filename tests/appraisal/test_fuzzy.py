"""Fuzzy membership and the index score (appraisal/fuzzy.py), seed 002 第13篇."""

from math import isclose

import pytest
from django.utils import translation

from amdesk.appraisal.fuzzy import ScoreError, membership, score


@pytest.mark.parametrize(
    "value, low, high, better, mu",
    [
        (75, 50, 100, True, 0.5),
        (50, 50, 100, True, 0.0),  # at the laggard point
        (100, 50, 100, True, 1.0),  # at the advanced point
        (20, 50, 100, True, 0.0),  # below: clipped
        (140, 50, 100, True, 1.0),  # above: clipped
        (2, 0, 8, False, 0.75),  # lower is better: 2 complaints on a 0…8 scale
        (0, 0, 8, False, 1.0),
        (9, 0, 8, False, 0.0),
        (-1, 0, 8, False, 1.0),
    ],
)
def test_membership_is_linear_between_the_points_and_clipped(value, low, high, better, mu):
    assert isclose(membership(value, low, high, better), mu)


def test_equal_points_are_refused():
    with translation.override("en"), pytest.raises(ScoreError, match="must differ"):
        membership(3, 5, 5)


def test_score_is_a_hundred_times_the_weighted_memberships():
    # μ = 0.5, 1.0, 0.25 with global weights 0.5, 0.3, 0.2 → Pz = 0.25 + 0.3 + 0.05 = 0.6
    result = score([(75, 50, 100, True, 0.5), (120, 0, 100, True, 0.3), (6, 0, 8, False, 0.2)])
    assert result.memberships == [0.5, 1.0, 0.25]
    assert [round(c, 9) for c in result.contributions] == [25.0, 30.0, 5.0]
    assert isclose(result.score, 60.0)


def test_weights_must_add_up_to_one_within_a_millionth():
    assert isclose(score([(1, 0, 1, True, 0.5), (1, 0, 1, True, 0.5 + 9e-7)]).score, 100.00009, rel_tol=1e-6)
    with translation.override("en"), pytest.raises(ScoreError, match="add up to 1"):
        score([(1, 0, 1, True, 0.5), (1, 0, 1, True, 0.5 + 2e-6)])
    with pytest.raises(ScoreError):
        score([])
    # a partial score (one criterion's share) may skip the check
    assert isclose(score([(1, 0, 1, True, 0.4)], check_weights=False).score, 40.0)
