"""Service SLA report 服务时效报表: per account manager and team, the tickets received in the period,
handled, first feedback in time, breaches, and the rates against ServiceSettings' targets.

The figures are service.selectors.service_kpis (the service KPI page's numbers): one call per
grouping, so the report's rows match that page for the same period."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.service.models import SlaPolicy
from amdesk.service.selectors import service_kpis

from ..framework.base import Chart, Column, Report, ReportData, Section, Series, Table, Text, register
from ..framework.rollup import (
    account_managers,
    am_only,
    person_rows,
    rate,
    rollup_columns,
    rollup_rows,
    scope_label,
)
from .common import available_to_managers

COUNTS = (
    "received",
    "handled",
    "first_feedback_due",
    "first_feedback_timely",
    "rated",
    "satisfied",
    "first_feedback_breaches",
    "resolution_breaches",
)


def _derive(row: dict) -> dict:
    return {
        "breaches": row["first_feedback_breaches"] + row["resolution_breaches"],
        "first_feedback_rate": rate(row["first_feedback_timely"], row["first_feedback_due"]),
        "handling_rate": rate(row["handled"], row["received"]),
        "satisfaction_rate": rate(row["satisfied"], row["rated"]),
    }


@register
class ServiceSlaReport(Report):
    code = "service-sla"
    title = gettext_lazy("Service SLA report")
    description = gettext_lazy(
        "Tickets received, handled and answered in time per account manager and team, against the targets."
    )
    period_kinds = ("month", "quarter")
    group = gettext_lazy("Service")

    @classmethod
    def is_available_to(cls, user) -> bool:
        return available_to_managers(user)

    def gather(self) -> ReportData:
        now = timezone.now()
        kpis = service_kpis(
            viewer=self.viewer,
            start=self.period.start,
            end=self.period.end,
            group_by="owner",
            now=now,
            node=self.node,
        )
        figures = {row.key: {name: getattr(row, name) for name in COUNTS} for row in kpis.rows}
        people = account_managers(self.viewer, self.node, extra_ids=[k for k in figures if k])
        am_rows = person_rows(people, figures)
        if None in figures:  # tickets without an account manager count in the total too
            am_rows.append({**figures[None], "am": _("No account manager"), "team_id": None})
        rows, total = rollup_rows(am_rows, sum_keys=COUNTS, derive=_derive)
        targets = kpis.targets
        hours = SlaPolicy.for_ticket("", "").first_feedback_hours
        columns = rollup_columns(
            [
                Column("received", _("Received"), "int"),
                Column("handled", _("Handled"), "int"),
                Column("first_feedback_timely", _("First feedback in time"), "int"),
                Column("breaches", _("Breaches"), "int"),
                Column("first_feedback_rate", _("Timely first feedback %"), "percent"),
                Column("handling_rate", _("Handling rate %"), "percent"),
                Column("satisfaction_rate", _("Satisfaction %"), "percent"),
            ]
        )
        target_text = _(
            "Targets: first feedback within %(hours)s hours for %(ff)s%% of tickets, handling rate "
            "%(handling)s%%, satisfaction with handling %(satisfaction)s%% (scores from %(from)s counted "
            "as satisfied)."
        ) % {
            "hours": hours,
            "ff": targets.first_feedback,
            "handling": targets.handling,
            "satisfaction": targets.satisfaction,
            "from": targets.satisfied_from,
        }
        misses = []
        for label, key, target in (
            (_("timely first feedback"), "first_feedback_rate", targets.first_feedback),
            (_("handling rate"), "handling_rate", targets.handling),
            (_("satisfaction"), "satisfaction_rate", targets.satisfaction),
        ):
            value = total[key]
            if value is not None and value < target:
                misses.append(
                    _("%(what)s %(value).1f%% below the target %(target)s%%")
                    % {"what": label, "value": value, "target": target}
                )
        people_rows = am_only(rows)
        chart = Chart(
            _("Rates against the targets"),
            "bar",
            [row["am"] for row in people_rows],
            [
                Series(_("Timely first feedback %"), [row["first_feedback_rate"] for row in people_rows]),
                Series(_("Handling rate %"), [row["handling_rate"] for row in people_rows]),
                Series(_("Satisfaction %"), [row["satisfaction_rate"] for row in people_rows]),
            ],
            unit="%",
        )
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=f"{self.period.label} ({self.period.start:%Y-%m-%d} – {self.period.end:%Y-%m-%d})",
            sections=[
                Section(
                    _("Tickets and SLA"),
                    [
                        Text(_("Targets"), target_text, misses),
                        Table(
                            _("Per account manager and team"),
                            columns,
                            rows,
                            total,
                            note=_(
                                "Tickets received in the period; breaches of first feedback and "
                                "resolution deadlines."
                            ),
                        ),
                        chart,
                    ],
                )
            ],
        )
