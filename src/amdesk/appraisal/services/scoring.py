"""The arithmetic of a score card, shared by the run, an adjustment and the benchmark's baseline:
percentile scales, membership (with the rules for a collapsed scale and missing values), the
weighted score and the ranks. Pure functions: no database."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from amdesk.appraisal import fuzzy

FOUR = Decimal("0.0001")
CENTS = Decimal("0.01")
# On a collapsed scale (low == high: the population hardly differs) those at the common level get
# the middle of the scale, those beyond it on the good side 1 and on the bad side 0.
COLLAPSED_AT_POINT = 0.5


def percentile(values: list[Decimal], p: int) -> Decimal:
    """The p-th percentile of the values, linear interpolation between closest ranks
    (numpy's default): rank = p/100 · (n − 1)."""
    ordered = sorted(values)
    if not ordered:
        return Decimal(0)
    rank = Decimal(p) / 100 * (len(ordered) - 1)
    lower = int(rank)
    upper = min(lower + 1, len(ordered) - 1)
    value = ordered[lower] + (ordered[upper] - ordered[lower]) * (rank - lower)
    return value.quantize(FOUR, rounding=ROUND_HALF_UP)


def membership(value: Decimal, low: Decimal, high: Decimal, higher_is_better: bool) -> float:
    if low == high:
        if value == low:
            return COLLAPSED_AT_POINT
        better = value > low if higher_is_better else value < low
        return 1.0 if better else 0.0
    return fuzzy.membership(float(value), float(low), float(high), higher_is_better)


@dataclass(frozen=True)
class Line:
    value: Decimal | None
    low: Decimal
    high: Decimal
    higher_is_better: bool
    weight: float  # the nominal global weight (criterion weight × indicator weight)


@dataclass(frozen=True)
class LineScore:
    membership: float
    weight: float  # the weight used: re-weighted over the indicators the person has a value of
    contribution: float


def score_lines(lines: list[Line]) -> tuple[Decimal, list[LineScore]]:
    """score = 100 · Σ μ·Q over the lines with a value, their weights scaled to sum to 1 (a person
    with no value for an indicator is judged on the others, not given a zero for it)."""
    present = sum(line.weight for line in lines if line.value is not None)
    scored: list[LineScore] = []
    for line in lines:
        if line.value is None or present <= 0:
            scored.append(LineScore(0.0, 0.0, 0.0))
            continue
        weight = line.weight / present
        mu = membership(line.value, line.low, line.high, line.higher_is_better)
        scored.append(LineScore(mu, weight, 100.0 * mu * weight))
    total = sum(item.contribution for item in scored)
    return Decimal(repr(total)).quantize(CENTS, rounding=ROUND_HALF_UP), scored


def competition_ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Rank 1 for the highest score; equal scores share a rank and the next one skips (1, 2, 2, 4)."""
    ordered = sorted(scores.values(), reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return {key: first[score] for key, score in scores.items()}


def ranks_within(cards, group) -> tuple[dict[int, int], dict[int, int]]:
    """(rank, group size) per card key, ranking inside the groups `group(card)` gives (None: no group).
    `cards` are (key, score, card) triples."""
    groups: dict = {}
    for key, score, card in cards:
        name = group(card)
        if name is not None:
            groups.setdefault(name, {})[key] = score
    ranks, sizes = {}, {}
    for members in groups.values():
        ranks.update(competition_ranks(members))
        sizes.update(dict.fromkeys(members, len(members)))
    return ranks, sizes
