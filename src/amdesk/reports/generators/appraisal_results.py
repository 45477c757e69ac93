"""Appraisal results 考核结果: the score cards of the computed or approved appraisal periods of a
month or quarter: score, rank in team and branch, ladder grade, change against the previous
period; team and branch averages and the total.

The cards are appraisal.selectors.card_list's (the appraisal pages' own scope, led_cards_q): the
appraisal admin reads everyone's, a supervisor or head the teams under the nodes he leads, an
account manager his own line only. Teams are the cards' teams at the run. Set-based: the query
count does not grow with the number of people.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.appraisal.models import AppraisalPeriod
from amdesk.appraisal.selectors.periods import card_list
from amdesk.appraisal.services.access import is_appraisal_admin, leads_people
from amdesk.reports.framework.base import Chart, Column, Report, ReportData, Section, Series, Table, register
from amdesk.reports.framework.rollup import (
    AM_ROLE,
    TEAM,
    node_within,
    rollup_columns,
    rollup_rows,
    scope_label,
)

RESULT_STATES = (AppraisalPeriod.State.COMPUTED, AppraisalPeriod.State.APPROVED)


def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def _subtotal(_level, _key, rows):
    """A group's average score and change over its people (every person's card weighs the same)."""
    return {
        "people": len(rows),
        "score": _mean(row["score"] for row in rows),
        "change": _mean(row["change"] for row in rows),
    }


def _rank(rank, size) -> str:
    return f"{rank}/{size}" if rank else ""


@register
class AppraisalResultsReport(Report):
    code = "appraisal-results"
    title = gettext_lazy("Appraisal results")
    description = gettext_lazy(
        "Score, ranks, ladder grade and change per person for a month's or quarter's appraisal, with "
        "team and branch averages."
    )
    period_kinds = ("month", "quarter")
    group = gettext_lazy("Appraisal")

    @classmethod
    def is_available_to(cls, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return is_appraisal_admin(user) or leads_people(user) or AM_ROLE in user.role_codes

    def periods(self) -> list[AppraisalPeriod]:
        """The report period's appraisal periods with results (one per scheme)."""
        return list(
            AppraisalPeriod.objects.filter(
                kind=self.period.kind, start=self.period.start, state__in=RESULT_STATES
            )
            .select_related("version__scheme")
            .order_by("version__scheme__name", "pk")
        )

    def gather(self) -> ReportData:
        periods = self.periods()
        cards = list(
            card_list(viewer=self.viewer)
            .filter(node_within(self.node), period__in=periods)
            .order_by("period__version__scheme__name", "period_id", "-score", "staff_id")
        )
        sections = []
        for period in periods:
            mine = [card for card in cards if card.period_id == period.pk]
            sections.append(self._section(period, mine, several=len(periods) > 1))
        if not periods:
            sections.append(
                Section(
                    _("Appraisal results"),
                    [
                        Table(
                            _("Appraisal results"), self._columns(), [], note=_("No results for this period.")
                        )
                    ],
                )
            )
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=self.period.label,
            sections=sections,
        )

    def _columns(self) -> list[Column]:
        return rollup_columns(
            [
                Column("people", _("People"), "int"),
                Column("grade", _("Ladder grade")),
                Column("score", _("Score"), "number"),
                Column("team_rank", _("Rank in team")),
                Column("branch_rank", _("Rank in branch")),
                Column("previous", _("Previous score"), "number"),
                Column("change", _("Change"), "number"),
            ]
        )

    def _section(self, period: AppraisalPeriod, cards, *, several: bool) -> Section:
        am_rows = [
            {
                "am": card.staff.full_name,
                "team_id": card.org_node_id,
                "people": 1,
                "grade": card.grade.label if card.grade_id else "",
                "score": float(card.score),
                "team_rank": _rank(card.team_rank, card.team_size),
                "branch_rank": _rank(card.branch_rank, card.branch_size),
                "previous": float(card.previous_score) if card.previous_score is not None else None,
                "change": float(card.change) if card.change is not None else None,
            }
            for card in cards
        ]
        rows, totals = rollup_rows(am_rows, subtotal=_subtotal)
        teams = [row for row in rows if row["level"] == TEAM] or [
            {**totals, "team": rows[0]["team"] if rows else ""}
        ]
        title = str(period.version.scheme) if several else _("Score cards")
        state = period.get_state_display()
        return Section(
            title,
            [
                Table(
                    _("Results by person, team and branch"),
                    self._columns(),
                    rows,
                    totals if rows else None,
                    note=_("%(scheme)s, %(state)s. Team and branch rows: average score and change.")
                    % {"scheme": period.version.scheme, "state": state},
                ),
                Chart(
                    _("Average score by team"),
                    "bar",
                    [row["team"] for row in teams if rows],
                    [Series(_("Average score"), [row["score"] for row in teams if rows])],
                ),
            ],
        )
