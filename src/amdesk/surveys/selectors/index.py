"""The satisfaction index 满意度指数 per account manager, team or branch, per round or per quarter,
with its trend over quarters and NPS.

A response's index (0–100) is stored when it is answered: the weighted mean of its rated answers,
each normalised to 0–100 (rating 1–5: (v−1)/4, 1–10: (v−1)/9, NPS 0–10: v/10, a scored choice its
score). A group's index is the mean of its responses' indexes, rounded by scoring.index_value (the
rule improvement actions use too). Periods are quarters of the rounds' surveyed periods (their
period_start): two rounds over one quarter make one point of the trend, and "previous" is the
quarter before, whatever rounds it had. NPS = % promoters (9–10) − %
detractors (0–6) among the answers to the NPS question. Every function answers in a fixed number
of queries, scoped to the viewer through the responses' owner and org node.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from amdesk.core.i18n import quarter_label
from amdesk.orgs.access import records_q, scoped

from ..models import SurveyInvitation, SurveyResponse, SurveyRound, SurveySettings
from ..scoring import index_value, is_low
from ..services.schedule import quarter_of
from .grouping import group_key, group_labels
from .rounds import visible_rounds


@dataclass(frozen=True)
class Quarter:
    start: date
    end: date

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(*quarter_of(day))

    @property
    def previous(self) -> "Quarter":
        return Quarter.of(self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        return quarter_label(self.start.year, (self.start.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return self.label


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class IndexRow:
    key: int | str | None  # staff id, node id or branch path; None for the total
    label: str
    invited: int = 0
    responses: int = 0
    index: float | None = None  # 0–100
    promoters: int = 0
    detractors: int = 0
    nps_answers: int = 0
    shown: float | None = None  # the index on the settings' display scale
    previous: float | None = None  # the same group's index in the quarter before, when asked for
    too_few: bool = False  # fewer responses than the settings' minimum to judge by

    @property
    def response_rate(self) -> float | None:
        return _pct(self.responses, self.invited)

    @property
    def nps(self) -> float | None:
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers, 1)

    @property
    def change(self) -> float | None:
        if self.index is None or self.previous is None:
            return None
        return round(self.index - self.previous, 1)


@dataclass
class IndexResult:
    survey_round: SurveyRound | None
    group_by: str
    rows: list[IndexRow]
    total: IndexRow
    threshold: float
    scale: int
    quarter: Quarter | None = None  # the round's quarter, or the quarter asked for


def responses_for(viewer) -> QuerySet:
    return scoped(SurveyResponse.objects.all(), records_q(viewer))


def reported_rounds(limit: int | None = None, *, viewer) -> list[SurveyRound]:
    """Rounds that have been opened, of those the viewer may see (never others: their names would
    leak across units), latest period first."""
    rounds = visible_rounds(viewer).exclude(state=SurveyRound.State.DRAFT).order_by("-period_start", "-id")
    return list(rounds[:limit] if limit else rounds)


def _aggregates():
    return {
        "responses": Count("id"),
        "value": Avg("index"),
        "promoters": Count("id", filter=Q(nps__gte=9)),
        "detractors": Count("id", filter=Q(nps__lte=6)),
        "nps_answers": Count("id", filter=Q(nps__isnull=False)),
    }


def _fill(row: IndexRow, data: dict, settings: SurveySettings) -> IndexRow:
    row.responses = data["responses"]
    row.index = index_value(data["value"])
    row.promoters, row.detractors, row.nps_answers = (
        data["promoters"],
        data["detractors"],
        data["nps_answers"],
    )
    row.shown = settings.scaled(row.index)
    # Too few answers to judge by (no improvement action is asked, and pages show the index small)
    row.too_few = row.responses < settings.min_responses_for_action
    return row


def satisfaction_index(
    *,
    viewer,
    survey_round: SurveyRound | None = None,
    quarter: date | None = None,
    group_by: str = "owner",
    with_previous: bool = True,
    within: Q | None = None,
) -> IndexResult:
    """The index per group for one round (default: the latest opened round), or with `quarter` (any
    day in it) for every round whose surveyed period starts in that quarter, in the viewer's scope.

    Rows are sorted lowest index first (who needs help first); groups invited but without answers
    come last with index None. `with_previous` fills each row's index in the quarter before (trend).
    `within` narrows further (a Q on the responses' and invitations' own fields, e.g. an org subtree:
    the reports' roll-up), so a report's figures are the page's figures by construction.
    """
    narrow = within if within is not None else Q()
    settings = SurveySettings.current()
    if survey_round is None and quarter is None:
        latest = reported_rounds(limit=1, viewer=viewer)
        survey_round = latest[0] if latest else None
    threshold, scale = float(settings.low_score_threshold), settings.index_scale
    if survey_round is None and quarter is None:
        return IndexResult(None, group_by, [], IndexRow(key=None, label=""), threshold, scale)
    period = Quarter.of(survey_round.period_start if survey_round is not None else quarter)
    if survey_round is not None:
        in_period = Q(round=survey_round)
    else:
        in_period = Q(round__period_start__range=(period.start, period.end)) & ~Q(
            round__state=SurveyRound.State.DRAFT
        )
    key = group_key(group_by)
    responses = responses_for(viewer).filter(in_period, narrow)
    by_group = {
        r["group"]: r
        for r in responses.annotate(group=key).values("group").annotate(**_aggregates()).order_by("group")
    }
    invited = dict(
        scoped(SurveyInvitation.objects.filter(in_period, narrow), records_q(viewer))
        .annotate(group=key)
        .values("group")
        .annotate(n=Count("id"))
        .order_by("group")
        .values_list("group", "n")
    )
    previous: dict = {}
    if with_previous:
        before = period.previous
        previous = dict(
            responses_for(viewer)
            .filter(narrow, round__period_start__range=(before.start, before.end), index__isnull=False)
            .annotate(group=key)
            .values("group")
            .annotate(value=Avg("index"))
            .order_by("group")
            .values_list("group", "value")
        )
    keys = set(by_group) | set(invited)
    labels = group_labels(group_by, keys)
    rows = []
    for group in keys:
        row = IndexRow(key=group, label=labels.get(group, "?"), invited=invited.get(group, 0))
        if group in by_group:
            _fill(row, by_group[group], settings)
        row.previous = index_value(previous.get(group))
        rows.append(row)
    rows.sort(key=lambda r: (r.index is None, r.index or 0, r.label))
    total = _fill(
        IndexRow(key=None, label="", invited=sum(invited.values())),
        responses.aggregate(**_aggregates()),
        settings,
    )
    return IndexResult(survey_round, group_by, rows, total, threshold, scale, quarter=period)


@dataclass
class TrendRow:
    key: int | str | None
    label: str
    values: list[float | None] = field(default_factory=list)  # one per quarter, oldest first

    @property
    def change(self) -> float | None:
        known = [v for v in self.values if v is not None]
        return round(known[-1] - known[-2], 1) if len(known) >= 2 else None


@dataclass
class Trend:
    quarters: list[Quarter]  # oldest first
    rows: list[TrendRow]
    total: TrendRow


def satisfaction_trend(*, viewer, group_by: str = "owner", quarters: int = 4) -> Trend:
    """The index per group over the last `quarters` quarters that had an opened round the viewer may
    see (oldest first), and the total line. All rounds of a quarter make its one value."""
    starts = (
        visible_rounds(viewer).exclude(state=SurveyRound.State.DRAFT).values_list("period_start", flat=True)
    )
    chosen = sorted({Quarter.of(day) for day in starts}, key=lambda q: q.start)[-quarters:]
    position = {q: i for i, q in enumerate(chosen)}
    if not chosen:
        return Trend([], [], TrendRow(None, "", []))
    key = group_key(group_by)
    responses = (
        responses_for(viewer)
        .filter(round__period_start__range=(chosen[0].start, chosen[-1].end), index__isnull=False)
        .annotate(year=ExtractYear("round__period_start"), quarter=ExtractQuarter("round__period_start"))
    )
    cells = list(
        responses.annotate(group=key)
        .values("year", "quarter", "group")
        .annotate(value=Avg("index"))
        .order_by("group", "year", "quarter")
    )
    totals = list(
        responses.values("year", "quarter").annotate(value=Avg("index")).order_by("year", "quarter")
    )
    labels = group_labels(group_by, {c["group"] for c in cells})

    def spot(cell) -> int | None:
        return position.get(Quarter.of(date(cell["year"], 3 * cell["quarter"] - 2, 1)))

    rows: dict = {}
    for cell in cells:
        row = rows.setdefault(
            cell["group"], TrendRow(cell["group"], labels.get(cell["group"], "?"), [None] * len(chosen))
        )
        row.values[spot(cell)] = index_value(cell["value"])
    line = TrendRow(None, "", [None] * len(chosen))
    for cell in totals:
        line.values[spot(cell)] = index_value(cell["value"])
    return Trend(chosen, sorted(rows.values(), key=lambda r: r.label), line)


def low_scorers(*, viewer, survey_round: SurveyRound) -> list[IndexRow]:
    """Account managers in scope whose index in the round is below the settings' threshold, lowest
    first, as the index table shows them. Those with fewer responses than an improvement action needs
    are listed too, marked `too_few` (no action will be asked of them): leaving them out would say
    nobody is below the threshold while the table shows someone is."""
    settings = SurveySettings.current()
    result = satisfaction_index(
        viewer=viewer, survey_round=survey_round, group_by="owner", with_previous=False
    )
    low = [row for row in result.rows if is_low(row.index, settings.low_score_threshold)]
    for row in low:
        row.too_few = row.responses < settings.min_responses_for_action
    return low
