"""Fuzzy membership between a laggard point (→0) and an advanced point (→1), and the index
Pz = Σ μ_i · Q_i (score = 100 · Pz), seed 002 第13篇."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHT_TOLERANCE = 1e-6


class ScoreError(ValueError):
    pass


def membership(value: float, low: float, high: float, higher_is_better: bool = True) -> float:
    """μ = (x − low)/(high − low) clipped to [0, 1], and 1 − that for lower-is-better indicators.
    `low` and `high` are the scale's ends as numbers: the laggard and the advanced point when higher
    is better, the advanced and the laggard point when lower is better."""
    if high == low:
        raise ScoreError(_("The laggard and advanced points must differ."))
    mu = (value - low) / (high - low)
    mu = min(max(mu, 0.0), 1.0)
    return mu if higher_is_better else 1.0 - mu


@dataclass(frozen=True)
class Scored:
    memberships: list[float]
    contributions: list[float]
    score: float


def score(items: list[tuple[float, float, float, bool, float]], *, check_weights: bool = True) -> Scored:
    """items: (value, low, high, higher_is_better, global weight)."""
    if check_weights and abs(sum(item[4] for item in items) - 1.0) > WEIGHT_TOLERANCE:
        raise ScoreError(_("The weights must add up to 1."))
    memberships = [membership(value, low, high, better) for value, low, high, better, _weight in items]
    contributions = [100.0 * mu * item[4] for mu, item in zip(memberships, items, strict=True)]
    return Scored(memberships, contributions, sum(contributions))
