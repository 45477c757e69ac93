"""The big-account management report 大客户管理报表: per big account in the viewer's scope its
qualification as far as the archive holds it (tier, grade, VIP level, credit rating), stakeholder
coverage (contacts, a decision maker: the archive's own stakeholder_gap flag), AUM at the period's
end and the products held, open issues (open tickets) and the development plan's progress (the
follow-up actions planned in the period, and how many are done); rolled up by AM, team and branch.

Set-based: one query for the accounts with every figure as a subquery, one for the products held,
and the roll-up's names; the count does not grow with the number of AMs or clients.
"""

from __future__ import annotations

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.clients.models import AumSnapshot, Client, ClientSettings, Contact, Holding
from amdesk.orgs.access import client_q, oversees, scoped
from amdesk.planning.models import FollowUpAction
from amdesk.reports.framework.base import (
    Chart,
    Column,
    Report,
    ReportData,
    Section,
    Series,
    Table,
    register,
)
from amdesk.reports.framework.rollup import (
    AM_ROLE,
    am_only,
    node_within,
    rate,
    rollup_columns,
    rollup_rows,
    scope_label,
)
from amdesk.service.models import OPEN_STATES, Ticket

COUNTED = ["accounts", "gaps", "aum", "holdings", "open_tickets", "planned", "done"]


def _count(queryset, outer: str = "pk"):
    """A correlated COUNT(*) subquery (0 when nothing matches)."""
    counted = queryset.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def big_accounts(*, viewer, period, node=None):
    """The big accounts in scope (lost clients left out), each with its report figures."""
    start, end = period.start, period.end
    aum = (
        AumSnapshot.objects.filter(client_id=OuterRef("pk"), as_of__lte=end)
        .order_by("-as_of")
        .values("amount")[:1]
    )
    actions = FollowUpAction.objects.filter(plan__client_id=OuterRef("pk"), planned_on__range=(start, end))
    return (
        scoped(Client.objects.filter(is_big_account=True), client_q(viewer))
        .exclude(lifecycle=Client.Lifecycle.LOST)
        .filter(node_within(node))
        .select_related("owner", "org_node", "tier", "grade", "vip_level")
        .annotate(
            contacts_n=_count(Contact.objects.filter(client_id=OuterRef("pk")), "client_id"),
            decision_maker=Exists(Contact.objects.filter(client_id=OuterRef("pk"), is_decision_maker=True)),
            aum_at_end=Subquery(aum, output_field=DecimalField(max_digits=18, decimal_places=2)),
            holdings_n=_count(Holding.objects.filter(client_id=OuterRef("pk")), "client_id"),
            open_tickets=_count(
                Ticket.objects.filter(client_id=OuterRef("pk"), state__in=OPEN_STATES), "client_id"
            ),
            planned=_count(actions, "plan__client_id"),
            done=_count(actions.filter(done_on__isnull=False), "plan__client_id"),
        )
        .order_by("owner__full_name", "name", "pk")
    )


def products_held(clients) -> dict[int, list[str]]:
    """{client id: product names} in one query."""
    held: dict[int, list[str]] = {}
    rows = (
        Holding.objects.filter(client__in=clients.values("pk"))
        .order_by("client_id", "product__line__order", "product__order")
        .values_list("client_id", "product__name")
    )
    for client_id, name in rows:
        held.setdefault(client_id, []).append(name)
    return held


def _derive(row: dict) -> dict:
    return {"progress": rate(row["done"], row["planned"])}


@register
class BigAccountsReport(Report):
    code = "big-accounts"
    title = gettext_lazy("Big-account management report")
    description = gettext_lazy(
        "Per big account: qualification, stakeholder coverage, AUM and products, open issues and the "
        "development plan's progress; rolled up by account manager, team and branch."
    )
    period_kinds = ("month", "quarter")
    group = gettext_lazy("Clients")

    @classmethod
    def is_available_to(cls, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return oversees(user) or AM_ROLE in user.role_codes

    def gather(self) -> ReportData:
        clients = big_accounts(viewer=self.viewer, period=self.period, node=self.node)
        accounts = list(clients)
        held = products_held(clients) if accounts else {}
        minimum = ClientSettings.current().big_account_min_contacts
        yes, no = _("Yes"), _("No")

        detail_rows, per_am = [], {}
        for client in accounts:
            aum = client.aum_at_end
            detail_rows.append(
                {
                    "client": client.name,
                    "am": client.owner.full_name,
                    "team": client.org_node.name,
                    "tier": str(client.tier) if client.tier_id else "",
                    "grade": str(client.grade) if client.grade_id else "",
                    "vip": str(client.vip_level) if client.vip_level_id else "",
                    "rating": client.credit_rating,
                    "contacts": client.contacts_n,
                    "decision_maker": yes if client.decision_maker else no,
                    "coverage": _("Incomplete") if client.stakeholder_gap else _("Complete"),
                    "aum": aum,
                    "products": "、".join(held.get(client.pk, [])),
                    "open_tickets": client.open_tickets,
                    "planned": client.planned,
                    "done": client.done,
                    "progress": rate(client.done, client.planned),
                }
            )
            row = per_am.setdefault(
                (client.owner_id, client.org_node_id),
                {"am": client.owner.full_name, "team_id": client.org_node_id, **dict.fromkeys(COUNTED, 0)},
            )
            row["accounts"] += 1
            row["gaps"] += 1 if client.stakeholder_gap else 0
            row["aum"] += aum or 0
            row["holdings"] += client.holdings_n
            row["open_tickets"] += client.open_tickets
            row["planned"] += client.planned
            row["done"] += client.done
        rows, totals = rollup_rows(list(per_am.values()), sum_keys=COUNTED, derive=_derive)

        summary = Table(
            _("By account manager, team and branch"),
            rollup_columns(
                [
                    Column("accounts", _("Big accounts"), "int"),
                    Column("gaps", _("Stakeholder map incomplete"), "int"),
                    Column("aum", _("AUM at period end"), "money"),
                    Column("holdings", _("Products held"), "int"),
                    Column("open_tickets", _("Open tickets"), "int"),
                    Column("planned", _("Follow-ups planned"), "int"),
                    Column("done", _("Follow-ups done"), "int"),
                    Column("progress", _("Plan progress"), "percent"),
                ]
            ),
            rows,
            totals if rows else None,
        )
        detail = Table(
            _("Big accounts"),
            [
                Column("client", _("Client")),
                Column("am", _("Account manager")),
                Column("team", _("Team")),
                Column("tier", _("Tier")),
                Column("grade", _("Grade")),
                Column("vip", _("VIP level")),
                Column("rating", _("Credit rating")),
                Column("contacts", _("Contacts"), "int"),
                Column("decision_maker", _("Decision maker")),
                Column("coverage", _("Stakeholder map")),
                Column("aum", _("AUM at period end"), "money"),
                Column("products", _("Products held")),
                Column("open_tickets", _("Open tickets"), "int"),
                Column("planned", _("Follow-ups planned"), "int"),
                Column("done", _("Follow-ups done"), "int"),
                Column("progress", _("Plan progress"), "percent"),
            ],
            detail_rows,
            note=_(
                "A stakeholder map is complete with at least %(n)d contacts including a decision maker. "
                "Products held are today's holdings; open tickets are those open now."
            )
            % {"n": minimum},
        )
        am_rows = am_only(rows)
        chart = Chart(
            _("Development plan: follow-ups planned and done"),
            "bar",
            [row["am"] for row in am_rows],
            [
                Series(_("Planned"), [row["planned"] for row in am_rows]),
                Series(_("Done"), [row["done"] for row in am_rows]),
            ],
        )
        return ReportData(
            title=self.title,
            subtitle=f"{scope_label(self.viewer, self.node)} · {self.period.label}",
            period_label=self.period.label,
            sections=[
                Section(_("Summary"), [summary, chart]),
                Section(_("Accounts"), [detail]),
            ],
        )
