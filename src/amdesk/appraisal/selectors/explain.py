"""Why a score card says what it says: per indicator the value, its scale, μ, weight, contribution
and change; what would raise the score most; and the person's trend."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import IndicatorResult, ScoreCard
from ..services.scoring import COLLAPSED_AT_POINT

RAISE_TOP = 3
TREND_PERIODS = 6


def plain(number: Decimal | None) -> str:
    """A stored number without its trailing zeros and never in exponent form (100, 0.5, 12.25);
    from 1,000 up grouped by thousands with at most two decimals (28,859,540.27), as amounts are read."""
    if number is None:
        return ""
    if abs(number) >= 1000:
        text = format(number, ",.2f")
        return text.removesuffix(".00")
    return format(number.normalize(), "f")


@dataclass
class ExplainedLine:
    result: IndicatorResult
    label: str
    criterion: str
    unit: str
    higher_is_better: bool
    raw_value: Decimal | None
    adjusted_value: Decimal | None
    value: Decimal | None
    low: Decimal
    high: Decimal
    laggard: Decimal
    advanced: Decimal
    membership: float
    nominal_weight: float
    weight: float
    contribution: float
    previous_value: Decimal | None
    change: Decimal | None
    gain: float  # points the score would gain if this indicator reached its advanced point
    notes: list[str] = field(default_factory=list)
    # A collapsed scale (low == high): μ = 1 only beyond the common level, not at it.
    collapsed: bool = False

    @property
    def value_text(self) -> str:
        return plain(self.value)

    @property
    def laggard_text(self) -> str:
        return plain(self.laggard)

    @property
    def advanced_text(self) -> str:
        return plain(self.advanced)

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        return ("+" if self.change > 0 else "") + plain(self.change)

    @property
    def bar_percent(self) -> int:
        return round(100 * self.membership)


@dataclass
class Explanation:
    card: ScoreCard
    lines: list[ExplainedLine]
    raise_most: list[ExplainedLine]
    trend: list[dict]
    notes: list[str]

    @property
    def change(self) -> Decimal | None:
        if self.card.previous_score is None:
            return None
        return self.card.score - self.card.previous_score


def _line(row: IndicatorResult) -> ExplainedLine:
    item = row.scheme_indicator
    indicator = item.indicator
    better = indicator.higher_is_better
    nominal = item.global_weight or 0.0
    value = row.value
    notes = []
    if value is None:
        notes.append(_("No value this period: left out, and the other indicators re-weighted to sum to 1."))
    elif row.low == row.high:
        notes.append(
            _(
                "The scale collapsed (the laggard and advanced points are both %(point)s): "
                "at that level μ = %(mid)s, better 1, worse 0."
            )
            % {"point": plain(row.low), "mid": COLLAPSED_AT_POINT}
        )
    if row.adjusted_value is not None:
        notes.append(
            _("Adjusted from %(raw)s: %(reason)s") % {"raw": row.raw_value, "reason": row.adjust_reason}
        )
    change = value - row.previous_value if value is not None and row.previous_value is not None else None
    gain = (1.0 - row.membership) * row.weight * 100 if value is not None else 0.0
    return ExplainedLine(
        result=row,
        label=indicator.label,
        criterion=item.criterion.name,
        unit=indicator.unit_label,
        higher_is_better=better,
        raw_value=row.raw_value,
        adjusted_value=row.adjusted_value,
        value=value,
        low=row.low,
        high=row.high,
        laggard=row.low if better else row.high,
        advanced=row.high if better else row.low,
        membership=row.membership,
        nominal_weight=nominal,
        weight=row.weight,
        contribution=row.contribution,
        previous_value=row.previous_value,
        change=change,
        gain=gain,
        notes=notes,
        collapsed=value is not None and row.low == row.high,
    )


def card_explain(card: ScoreCard, *, trend_periods: int = TREND_PERIODS) -> Explanation:
    """Two queries: the card's results (with indicators and criteria) and the person's recent cards."""
    rows = card.results.select_related("scheme_indicator__criterion", "scheme_indicator__indicator").order_by(
        "scheme_indicator__criterion__order",
        "scheme_indicator__criterion_id",
        "scheme_indicator__order",
        "pk",
    )
    lines = [_line(row) for row in rows]
    raise_most = sorted((line for line in lines if line.gain > 0.005), key=lambda line: -line.gain)[
        :RAISE_TOP
    ]
    recent = list(
        ScoreCard.objects.filter(
            staff_id=card.staff_id,
            period__version__scheme_id=card.period.version.scheme_id,
            period__start__lte=card.period.start,
        )
        .select_related("period")
        .order_by("-period__start")[:trend_periods]
    )
    trend = [
        {"label": old.period.label, "score": old.score, "percent": float(old.score)}
        for old in reversed(recent)
    ]
    notes = []
    if any(line.value is None for line in lines):
        notes.append(_("Some indicators have no value this period; the score is judged on the others."))
    return Explanation(card=card, lines=lines, raise_most=raise_most, trend=trend, notes=notes)
