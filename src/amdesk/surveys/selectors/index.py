"""The satisfaction index 满意度指数 per account manager, team or branch, per round, with trend and NPS.

A response's index (0–100) is stored when it is answered: the weighted mean of its rated answers,
each normalised to 0–100 (rating 1–5: (v−1)/4, 1–10: (v−1)/9, NPS 0–10: v/10, a scored choice its
score). A group's index is the mean of its responses' indexes. NPS = % promoters (9–10) − %
detractors (0–6) among the answers to the NPS question. Every function answers in a fixed number
of queries, scoped to the viewer through the responses' owner and org node.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet

from amdesk.orgs.access import records_q, scoped

from ..models import SurveyInvitation, SurveyResponse, SurveyRound, SurveySettings
from .grouping import group_key, group_labels
from .rounds import visible_rounds


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
    previous: float | None = None  # the same group's index in the round before, when asked for

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


def responses_for(viewer) -> QuerySet:
    return scoped(SurveyResponse.objects.all(), records_q(viewer))


def reported_rounds(limit: int | None = None, *, viewer=None) -> list[SurveyRound]:
    """Rounds that have been opened (of those the viewer may see, when given), latest period first."""
    rounds = visible_rounds(viewer) if viewer is not None else SurveyRound.objects.all()
    rounds = rounds.exclude(state=SurveyRound.State.DRAFT).order_by("-period_start", "-id")
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
    row.index = None if data["value"] is None else round(float(data["value"]), 1)
    row.promoters, row.detractors, row.nps_answers = (
        data["promoters"],
        data["detractors"],
        data["nps_answers"],
    )
    row.shown = settings.scaled(row.index)
    return row


def satisfaction_index(
    *, viewer, survey_round: SurveyRound | None = None, group_by: str = "owner", with_previous: bool = True
) -> IndexResult:
    """The index per group for one round (default: the latest opened round), in the viewer's scope.

    Rows are sorted lowest index first (who needs help first); groups invited but without answers
    come last with index None. `with_previous` fills each row's index in the round before (trend).
    """
    settings = SurveySettings.current()
    if survey_round is None:
        latest = reported_rounds(limit=1, viewer=viewer)
        survey_round = latest[0] if latest else None
    empty = IndexRow(key=None, label="")
    if survey_round is None:
        return IndexResult(
            None, group_by, [], empty, float(settings.low_score_threshold), settings.index_scale
        )
    key = group_key(group_by)
    responses = responses_for(viewer).filter(round=survey_round)
    by_group = {
        r["group"]: r
        for r in responses.annotate(group=key).values("group").annotate(**_aggregates()).order_by("group")
    }
    invited = dict(
        scoped(SurveyInvitation.objects.filter(round=survey_round), records_q(viewer))
        .annotate(group=key)
        .values("group")
        .annotate(n=Count("id"))
        .order_by("group")
        .values_list("group", "n")
    )
    previous: dict = {}
    if with_previous:
        before = (
            visible_rounds(viewer)
            .exclude(state=SurveyRound.State.DRAFT)
            .filter(period_start__lt=survey_round.period_start)
            .order_by("-period_start", "-id")
            .first()
        )
        if before is not None:
            previous = dict(
                responses_for(viewer)
                .filter(round=before, index__isnull=False)
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
        if previous.get(group) is not None:
            row.previous = round(float(previous[group]), 1)
        rows.append(row)
    rows.sort(key=lambda r: (r.index is None, r.index or 0, r.label))
    total = _fill(
        IndexRow(key=None, label="", invited=sum(invited.values())),
        responses.aggregate(**_aggregates()),
        settings,
    )
    return IndexResult(
        survey_round, group_by, rows, total, float(settings.low_score_threshold), settings.index_scale
    )


@dataclass
class TrendRow:
    key: int | str | None
    label: str
    values: list[float | None] = field(default_factory=list)  # one per round, oldest first

    @property
    def change(self) -> float | None:
        known = [v for v in self.values if v is not None]
        return round(known[-1] - known[-2], 1) if len(known) >= 2 else None


@dataclass
class Trend:
    rounds: list[SurveyRound]  # oldest first
    rows: list[TrendRow]
    total: TrendRow


def satisfaction_trend(*, viewer, group_by: str = "owner", rounds: int = 4) -> Trend:
    """The index per group over the last `rounds` opened rounds (oldest first), and the total line."""
    chosen = list(reversed(reported_rounds(limit=rounds, viewer=viewer)))
    position = {r.pk: i for i, r in enumerate(chosen)}
    key = group_key(group_by)
    responses = responses_for(viewer).filter(round__in=chosen, index__isnull=False)
    cells = list(
        responses.annotate(group=key)
        .values("round_id", "group")
        .annotate(value=Avg("index"))
        .order_by("group", "round_id")
    )
    totals = list(responses.values("round_id").annotate(value=Avg("index")).order_by("round_id"))
    labels = group_labels(group_by, {c["group"] for c in cells})
    rows: dict = {}
    for cell in cells:
        row = rows.setdefault(
            cell["group"], TrendRow(cell["group"], labels.get(cell["group"], "?"), [None] * len(chosen))
        )
        row.values[position[cell["round_id"]]] = round(float(cell["value"]), 1)
    total = TrendRow(None, "", [None] * len(chosen))
    for cell in totals:
        total.values[position[cell["round_id"]]] = round(float(cell["value"]), 1)
    return Trend(chosen, sorted(rows.values(), key=lambda r: r.label), total)


def low_scorers(*, viewer, survey_round: SurveyRound) -> list[IndexRow]:
    """Account managers in scope whose index in the round is below the settings' threshold."""
    settings = SurveySettings.current()
    result = satisfaction_index(
        viewer=viewer, survey_round=survey_round, group_by="owner", with_previous=False
    )
    return [
        row
        for row in result.rows
        if row.index is not None
        and row.index < float(settings.low_score_threshold)
        and row.responses >= settings.min_responses_for_action
    ]
