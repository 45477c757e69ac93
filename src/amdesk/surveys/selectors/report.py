"""The analysis report of a round 满意度分析报告: scores per question and dimension, per client
segment (tier, lifecycle, VIP level), the distribution of choices and the free-text comments, all
within the viewer's scope and in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from amdesk.clients.models import Client, ClientTier, VipLevel

from ..models import Option, Question, SurveyAnswer, SurveyRound
from .index import responses_for

COMMENTS_SHOWN = 200


@dataclass
class OptionCount:
    option: Option
    count: int
    percent: float | None


@dataclass
class QuestionStat:
    question: Question
    answers: int = 0
    score: float | None = None  # mean of the answers' 0–100 scores
    mean: float | None = None  # mean raw rating (1–5, 1–10, 0–10)
    options: list[OptionCount] = field(default_factory=list)
    promoters: int = 0
    detractors: int = 0

    @property
    def nps(self) -> float | None:
        if self.question.kind != Question.Kind.NPS or not self.answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.answers, 1)


@dataclass
class SegmentRow:
    key: str | int | None
    label: str
    responses: int
    index: float | None


@dataclass
class Comment:
    question: str
    text: str
    answered_at: object
    client_name: str
    owner_name: str


@dataclass
class AnalysisReport:
    survey_round: SurveyRound
    responses: int
    index: float | None
    questions: list[QuestionStat]
    dimensions: list[SegmentRow]
    segments: dict[str, list[SegmentRow]]  # "tier", "lifecycle", "vip_level"
    comments: list[Comment]
    comments_total: int


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def analysis_report(*, viewer, survey_round: SurveyRound) -> AnalysisReport:
    responses = responses_for(viewer).filter(round=survey_round)
    overall = responses.aggregate(n=Count("id"), value=Avg("index"))
    answers = SurveyAnswer.objects.filter(response__in=responses)
    questions = list(
        Question.objects.filter(questionnaire_id=survey_round.questionnaire_id)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__order", "section_id", "order", "id")
    )
    stats = {q.pk: QuestionStat(q) for q in questions}
    for row in (
        answers.values("question_id")
        .annotate(
            n=Count("id"),
            score=Avg("score"),
            mean=Avg("number"),
            promoters=Count("id", filter=Q(number__gte=9)),
            detractors=Count("id", filter=Q(number__lte=6)),
        )
        .order_by()
    ):
        stat = stats[row["question_id"]]
        stat.answers, stat.score, stat.mean = row["n"], _round(row["score"]), _round(row["mean"])
        stat.promoters, stat.detractors = row["promoters"], row["detractors"]
    chosen = dict(
        SurveyAnswer.options.through.objects.filter(surveyanswer__in=answers)
        .values("option_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("option_id", "n")
    )
    for stat in stats.values():
        if stat.question.is_choice:
            stat.options = [
                OptionCount(
                    o,
                    chosen.get(o.pk, 0),
                    round(100 * chosen.get(o.pk, 0) / stat.answers, 1) if stat.answers else None,
                )
                for o in stat.question.options.all()
            ]
    dimensions = [
        SegmentRow(row["question__dimension"], row["question__dimension"], row["n"], _round(row["score"]))
        for row in answers.filter(score__isnull=False, question__weight__gt=0)
        .exclude(question__dimension="")
        .values("question__dimension")
        .annotate(n=Count("response", distinct=True), score=Avg("score"))
        .order_by("question__dimension")
    ]
    tiers = {tier.code: str(tier) for tier in ClientTier.objects.all()}
    lifecycles = dict(Client.Lifecycle.choices)
    vip_names = {v.pk: str(v) for v in VipLevel.objects.all()}
    segments: dict[str, list[SegmentRow]] = {}
    for name, column, labels in (
        ("tier", "client_tier__code", tiers),
        ("lifecycle", "client_lifecycle", lifecycles),
        ("vip_level", "client_vip_level_id", vip_names),
    ):
        segments[name] = [
            SegmentRow(row[column], str(labels.get(row[column], "—")), row["n"], _round(row["value"]))
            for row in responses.values(column).annotate(n=Count("id"), value=Avg("index")).order_by(column)
        ]
    texts = answers.filter(question__kind=Question.Kind.TEXT).exclude(text="")
    comments = [
        Comment(
            row["question__text"],
            row["text"],
            row["response__answered_at"],
            row["response__client__name"],
            row["response__owner__full_name"],
        )
        for row in texts.values(
            "question__text",
            "text",
            "response__answered_at",
            "response__client__name",
            "response__owner__full_name",
        ).order_by("-response__answered_at", "-id")[:COMMENTS_SHOWN]
    ]
    return AnalysisReport(
        survey_round=survey_round,
        responses=overall["n"],
        index=_round(overall["value"]),
        questions=list(stats.values()),
        dimensions=dimensions,
        segments=segments,
        comments=comments,
        comments_total=texts.count(),
    )
