"""Visit compliance report 拜访达标报表: per account manager and team, the clients the tier norms
asked to be visited in the period and those visited as often as asked (compliance %), the visits
made, the planned visits done, and the clients overdue today by tier.

The figures are the visits app's own (visit_kpis, compliance_now): the visit team page's numbers."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.clients.models import Client, ClientTier
from amdesk.orgs.access import client_q, scoped
from amdesk.orgs.models import Staff
from amdesk.visits.selectors import compliance_now, visit_kpis

from ..framework.base import Chart, Column, Report, ReportData, Section, Series, Table, register
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


@register
class VisitComplianceReport(Report):
    code = "visit-compliance"
    title = gettext_lazy("Visit compliance report")
    description = gettext_lazy(
        "Clients due a visit by the tier norms against those visited, and overdue clients by tier."
    )
    period_kinds = ("month", "quarter")
    group = gettext_lazy("Visits")

    @classmethod
    def is_available_to(cls, user) -> bool:
        return available_to_managers(user)

    def gather(self) -> ReportData:
        today = timezone.localdate()
        start, end = self.period.start, min(self.period.end, today)
        people = account_managers(self.viewer, self.node)
        ids = [p.pk for p in people]
        figures: dict[int, dict] = {pk: {} for pk in ids}
        if start <= end:
            for pk, kpis in visit_kpis(Staff.objects.filter(pk__in=ids), start=start, end=end).items():
                pairs = list(kpis.compliance.values())
                key = kpis.compliance.get(True, (0, 0))
                figures[pk].update(
                    due=sum(p[1] for p in pairs),
                    complied=sum(p[0] for p in pairs),
                    key_due=key[1],
                    key_complied=key[0],
                    contacts=kpis.contacts,
                    planned=kpis.planned,
                    planned_done=kpis.planned_done,
                )
        clients = scoped(Client.objects.exclude(lifecycle=Client.Lifecycle.LOST), client_q(self.viewer))
        overdue: dict[int, dict[int, int]] = {}
        for row in compliance_now(clients.filter(owner__in=ids), today=today):
            overdue.setdefault(row["owner"], {})[row["tier"]] = row["clients"] - row["on_time"]
        seen = {tier for by_tier in overdue.values() for tier in by_tier}
        tiers = list(ClientTier.objects.filter(Q(is_active=True) | Q(pk__in=seen)).order_by("order", "code"))
        for pk, by_tier in overdue.items():
            for tier in tiers:
                figures[pk][f"overdue_{tier.pk}"] = by_tier.get(tier.pk, 0)
            figures[pk]["overdue"] = sum(by_tier.values())
        keys = [
            "due",
            "complied",
            "key_due",
            "key_complied",
            "contacts",
            "planned",
            "planned_done",
            "overdue",
        ]
        keys += [f"overdue_{tier.pk}" for tier in tiers]
        rows, total = rollup_rows(person_rows(people, figures), sum_keys=keys, derive=_derive)
        columns = rollup_columns(
            [
                Column("due", _("Clients due a visit"), "int"),
                Column("complied", _("Visited as due"), "int"),
                Column("compliance", _("Compliance %"), "percent"),
                Column("key_compliance", _("Key clients compliance %"), "percent"),
                Column("contacts", _("Visits made"), "int"),
                Column("plan_completion", _("Planned visits done %"), "percent"),
                Column("overdue", _("Overdue clients today"), "int"),
            ]
            + [Column(f"overdue_{tier.pk}", _("Overdue: %(tier)s") % {"tier": tier}, "int") for tier in tiers]
        )
        people_rows = am_only(rows)
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=f"{self.period.label} ({start:%Y-%m-%d} – {end:%Y-%m-%d})",
            sections=[
                Section(
                    _("Visits by the tier norms"),
                    [
                        Table(
                            _("Per account manager and team"),
                            columns,
                            rows,
                            total,
                            note=_(
                                "A client complies when visited at least as often as its tier's norm "
                                "asks over the days of the period; overdue counts are as of today."
                            ),
                        ),
                        Chart(
                            _("Compliance per account manager"),
                            "bar",
                            [row["am"] for row in people_rows],
                            [
                                Series(_("Compliance %"), [row["compliance"] for row in people_rows]),
                                Series(
                                    _("Key clients compliance %"),
                                    [row["key_compliance"] for row in people_rows],
                                ),
                            ],
                            unit="%",
                        ),
                    ],
                )
            ],
        )


def _derive(row: dict) -> dict:
    return {
        "compliance": rate(row["complied"], row["due"]),
        "key_compliance": rate(row["key_complied"], row["key_due"]),
        "plan_completion": rate(row["planned_done"], row["planned"]),
    }
