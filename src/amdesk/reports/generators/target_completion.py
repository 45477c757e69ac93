"""Target completion report 目标完成报表: per account manager and team, each indicator's target and
achieved figure for the month (or the quarter's three months summed) and the completion %.

The figures are planning.selectors.target_completion (the targets the team page and appraisal read):
two queries per month, whatever the size of the team."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.planning.models import PerformanceItem
from amdesk.planning.selectors import target_completion

from ..framework.base import Chart, Column, Report, ReportData, Section, Series, Table, register
from ..framework.rollup import account_managers, person_rows, rate, rollup_columns, rollup_rows, scope_label
from .common import available_to_managers


@register
class TargetCompletionReport(Report):
    code = "target-completion"
    title = gettext_lazy("Target completion report")
    description = gettext_lazy("Targets against achieved figures per indicator, account manager and team.")
    period_kinds = ("month", "quarter")
    group = gettext_lazy("Plans and targets")

    @classmethod
    def is_available_to(cls, user) -> bool:
        return available_to_managers(user)

    def gather(self) -> ReportData:
        people = account_managers(self.viewer, self.node)
        ids = [p.pk for p in people]
        months = [
            date(self.period.start.year, m, 1)
            for m in range(self.period.start.month, self.period.end.month + 1)
        ]
        figures: dict[int, dict] = {pk: {} for pk in ids}
        used: set[int] = set()
        for month in months:
            for owner, by_item in target_completion(ids, month, viewer=self.viewer).items():
                for item, done in by_item.items():
                    used.add(item)
                    mine = figures.setdefault(owner, {})
                    mine[f"t{item}"] = mine.get(f"t{item}", Decimal(0)) + done.target
                    mine[f"a{item}"] = mine.get(f"a{item}", Decimal(0)) + done.achieved
        items = list(PerformanceItem.objects.filter(pk__in=used).order_by("order", "code"))
        keys = [f"{prefix}{item.pk}" for item in items for prefix in ("t", "a")]

        def derive(row: dict) -> dict:
            found = {
                f"r{item.pk}": rate(row.get(f"a{item.pk}", 0), row.get(f"t{item.pk}", 0)) for item in items
            }
            with_target = [v for v in found.values() if v is not None]
            found["met"] = sum(1 for v in with_target if v >= 100)
            found["mean"] = round(sum(with_target) / len(with_target), 1) if with_target else None
            return found

        rows, total = rollup_rows(person_rows(people, figures), sum_keys=keys, derive=derive)
        columns = []
        for item in items:
            unit = f" ({item.unit})" if getattr(item, "unit", "") else ""
            columns += [
                Column(f"t{item.pk}", _("%(item)s target") % {"item": item} + unit, "number"),
                Column(f"a{item.pk}", _("%(item)s achieved") % {"item": item} + unit, "number"),
                Column(f"r{item.pk}", _("%(item)s completion %%") % {"item": item}, "percent"),
            ]
        columns += [
            Column("met", _("Indicators met"), "int"),
            Column("mean", _("Mean completion %"), "percent"),
        ]
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=f"{self.period.label} ({self.period.start:%Y-%m-%d} – {self.period.end:%Y-%m-%d})",
            sections=[
                Section(
                    _("Targets and achieved figures"),
                    [
                        Table(
                            _("Per account manager and team"),
                            rollup_columns(columns),
                            rows,
                            total,
                            note=_(
                                "Indicators with a target set in the period; achieved figures from the "
                                "daily performance registrations and the computed sources."
                            ),
                        ),
                        Chart(
                            _("Completion per indicator"),
                            "bar",
                            [str(item) for item in items],
                            [Series(_("Completion %"), [total[f"r{item.pk}"] for item in items])],
                            unit="%",
                        ),
                    ],
                )
            ],
        )
