"""The quarterly satisfaction analysis 季度满意度分析: the quarter's survey rounds, the satisfaction
index per AM, team and branch against the quarter before, response counts, the lowest-scoring
questions and the suggestions clients wrote.

The index figures are surveys.selectors.satisfaction_index (the survey pages' own numbers), called
once per grouping and narrowed to the report's org subtree with `within`; everything is shown on
the settings' display scale as the pages show it. Set-based: the query count does not grow with
the number of AMs, clients or responses.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.orgs.access import records_q, scoped
from amdesk.orgs.models import Staff
from amdesk.reports.framework.base import (
    Chart,
    Column,
    Report,
    ReportData,
    Section,
    Series,
    Table,
    Text,
    register,
)
from amdesk.reports.framework.rollup import (
    BRANCH,
    TEAM,
    node_within,
    rollup_columns,
    rollup_rows,
    scope_label,
)
from amdesk.surveys.models import Question, SurveyAnswer, SurveyInvitation, SurveyRound, SurveySettings
from amdesk.surveys.scoring import on_scale
from amdesk.surveys.selectors import responses_for, satisfaction_index, visible_rounds

from .common import available_to_managers

LOWEST_QUESTIONS = 5  # how many of the lowest-scoring questions the report lists
SUGGESTIONS_SHOWN = 30  # the latest suggestions quoted (all are counted)


def _in_quarter(period, prefix: str = "round__") -> Q:
    return Q(**{f"{prefix}period_start__range": (period.start, period.end)}) & ~Q(
        **{f"{prefix}state": SurveyRound.State.DRAFT}
    )


def _figures(row, scale: int) -> dict:
    """One index row (surveys.selectors.IndexRow) as report cells, on the display scale."""
    if row is None:
        return {}
    return {
        "invited": row.invited,
        "responses": row.responses,
        "response_rate": row.response_rate,
        "index": on_scale(row.index, scale),
        "previous": on_scale(row.previous, scale),
        "change": on_scale(row.change, scale),
        "nps": row.nps,
    }


@register
class SatisfactionReport(Report):
    code = "satisfaction"
    title = gettext_lazy("Quarterly satisfaction analysis")
    description = gettext_lazy(
        "The quarter's survey rounds, the satisfaction index per account manager, team and branch "
        "against the previous quarter, the lowest-scoring questions and the clients' suggestions."
    )
    period_kinds = ("quarter",)
    group = gettext_lazy("Surveys")

    @classmethod
    def is_available_to(cls, user) -> bool:
        # An account manager reads the index of his own clients' responses (as on the survey home),
        # whoever oversees others his scope's; a user without such a role has no responses to read.
        return available_to_managers(user)

    def gather(self) -> ReportData:
        settings = SurveySettings.current()
        scale = settings.index_scale
        within = node_within(self.node)
        day = self.period.start

        def index(group_by):
            return satisfaction_index(viewer=self.viewer, quarter=day, group_by=group_by, within=within)

        by_owner, by_team, by_branch = index("owner"), index("team"), index("branch")
        before = satisfaction_index(
            viewer=self.viewer,
            quarter=self.period.previous().start,
            group_by="branch",
            with_previous=False,
            within=within,
        )
        teams = {row.key: row for row in by_team.rows}
        branches = {row.key: row for row in by_branch.rows}
        team_of = dict(
            Staff.objects.filter(pk__in=[row.key for row in by_owner.rows]).values_list("pk", "org_node_id")
        )
        am_rows = [
            {"am": row.label, "team_id": team_of.get(row.key), **_figures(row, scale)}
            for row in by_owner.rows
        ]

        def subtotal(level, key, _rows):
            if level == TEAM:
                return _figures(teams.get(key), scale)
            if level == BRANCH:
                return _figures(branches.get(key), scale)
            total = _figures(by_owner.total, scale)
            total["previous"] = on_scale(before.total.index, scale)
            if by_owner.total.index is not None and before.total.index is not None:
                total["change"] = on_scale(round(by_owner.total.index - before.total.index, 1), scale)
            return total

        rows, totals = rollup_rows(am_rows, subtotal=subtotal)
        shown = _("Index (0–%(scale)s)") % {"scale": scale}
        index_table = Table(
            _("Satisfaction index by account manager, team and branch"),
            rollup_columns(
                [
                    Column("invited", _("Invited"), "int"),
                    Column("responses", _("Responses"), "int"),
                    Column("response_rate", _("Response rate"), "percent"),
                    Column("index", shown, "number"),
                    Column("previous", _("Previous quarter"), "number"),
                    Column("change", _("Change"), "number"),
                    Column("nps", "NPS", "number"),
                ]
            ),
            rows,
            totals if rows else None,
            note=_(
                "The index is the mean of the responses' indexes of the rounds surveying this quarter; a "
                "team's or branch's figure is its responses' mean, not the mean of its account managers."
            ),
        )
        chart_rows = sorted(by_team.rows, key=lambda row: row.label)
        chart = Chart(
            _("Satisfaction index by team"),
            "bar",
            [row.label for row in chart_rows],
            [
                Series(self.period.label, [on_scale(row.index, scale) for row in chart_rows]),
                Series(self.period.previous().label, [on_scale(row.previous, scale) for row in chart_rows]),
            ],
            unit=shown,
        )
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=self.period.label,
            sections=[
                Section(_("Survey rounds"), [self._rounds(within)]),
                Section(_("Satisfaction index"), [index_table, chart]),
                Section(
                    _("Questions and suggestions"), [self._lowest(within, scale), self._suggestions(within)]
                ),
            ],
        )

    def _responses(self, within):
        return responses_for(self.viewer).filter(_in_quarter(self.period), within)

    def _rounds(self, within) -> Table:
        rounds = list(
            visible_rounds(self.viewer)
            .filter(_in_quarter(self.period, prefix=""))
            .select_related("questionnaire")
            .order_by("period_start", "pk")
        )
        ids = [r.pk for r in rounds]
        invited = dict(
            scoped(SurveyInvitation.objects.filter(within, round__in=ids), records_q(self.viewer))
            .values("round_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("round_id", "n")
        )
        answered = dict(
            self._responses(within)
            .filter(round__in=ids)
            .values("round_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("round_id", "n")
        )
        rows = [
            {
                "round": r.name,
                "questionnaire": r.questionnaire.title,
                "surveyed": f"{r.period_start:%Y-%m-%d} – {r.period_end:%Y-%m-%d}",
                "state": r.get_state_display(),
                "invited": invited.get(r.pk, 0),
                "responses": answered.get(r.pk, 0),
                "response_rate": _rate(answered.get(r.pk, 0), invited.get(r.pk, 0)),
            }
            for r in rounds
        ]
        total_invited, total_answered = sum(invited.values()), sum(answered.values())
        return Table(
            _("The quarter's survey rounds"),
            [
                Column("round", _("Survey round")),
                Column("questionnaire", _("Questionnaire")),
                Column("surveyed", _("Surveyed period")),
                Column("state", _("State")),
                Column("invited", _("Invited"), "int"),
                Column("responses", _("Responses"), "int"),
                Column("response_rate", _("Response rate"), "percent"),
            ],
            rows,
            {
                "round": _("Total"),
                "invited": total_invited,
                "responses": total_answered,
                "response_rate": _rate(total_answered, total_invited),
            }
            if rows
            else None,
        )

    def _lowest(self, within, scale: int) -> Table:
        rows = (
            SurveyAnswer.objects.filter(
                response__in=self._responses(within).values("pk"), score__isnull=False
            )
            .values("question_id", "question__text", "question__questionnaire__title", "question__dimension")
            .annotate(answers=Count("id"), score=Avg("score"))
            .order_by("score", "question_id")[:LOWEST_QUESTIONS]
        )
        return Table(
            _("The lowest-scoring questions"),
            [
                Column("question", _("Question")),
                Column("questionnaire", _("Questionnaire")),
                Column("dimension", _("Dimension")),
                Column("answers", _("Answers"), "int"),
                Column("score", _("Score (0–%(scale)s)") % {"scale": scale}, "number"),
            ],
            [
                {
                    "question": row["question__text"],
                    "questionnaire": row["question__questionnaire__title"],
                    "dimension": row["question__dimension"],
                    "answers": row["answers"],
                    "score": on_scale(round(float(row["score"]), 1), scale),
                }
                for row in rows
            ],
        )

    def _suggestions(self, within) -> Text:
        texts = SurveyAnswer.objects.filter(
            response__in=self._responses(within).values("pk"), question__kind=Question.Kind.TEXT
        ).exclude(text="")
        total = texts.count()
        latest = texts.values_list("text", "response__owner__full_name", "response__answered_at").order_by(
            "-response__answered_at", "-id"
        )[:SUGGESTIONS_SHOWN]
        items = [
            f"{text}（{owner}，{timezone.localtime(answered):%Y-%m-%d}）" for text, owner, answered in latest
        ]
        if total > len(items):
            body = _("%(n)d suggestions collected; the latest %(shown)d:") % {"n": total, "shown": len(items)}
        else:
            body = _("%(n)d suggestions collected.") % {"n": total}
        return Text(_("Suggestions collected"), body, items)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
