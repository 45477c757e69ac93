"""The branch head's desk: totals and trends, team comparison, client tier mix. Read from the
pre-aggregated rows (models.py), a few hundred at most, scoped by the org nodes the viewer sees."""

from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from amdesk.clients.models import ClientTier
from amdesk.orgs.access import scope_of
from amdesk.orgs.models import OrgNode

from ..charts import Chart
from ..models import NodeMonth, NodeTier

TEN_THOUSAND = Decimal(10_000)


def node_scope_q(viewer, prefix: str = "org_node__") -> Q:
    """Summary rows of the org nodes in the viewer's scope (all, or the subtrees he leads). The rows
    are per node, not per person: someone whose scope is his own records sees none of them."""
    scope = scope_of(viewer)
    if scope.sees_all:
        return Q()
    if scope.kind == "subtree":
        return scope.node_q(prefix)
    return Q(pk__in=[])


def in_ten_thousands(amount) -> float:
    return round(float(Decimal(amount or 0) / TEN_THOUSAND), 2)


def branch_figures(viewer) -> dict:
    """The trends (12 full months) and today's totals of the viewer's nodes, in two queries."""
    months = list(
        NodeMonth.objects.filter(node_scope_q(viewer))
        .values("month")
        .annotate(aum=Sum("aum"), visits=Sum("visits"), as_of=Max("computed_at"))
        .order_by("month")
    )
    now = NodeTier.objects.filter(node_scope_q(viewer)).aggregate(
        clients=Sum("clients"), aum=Sum("aum"), as_of=Max("computed_at")
    )
    aum = Chart(
        key="aum_trend",
        title=_("AUM at month-end (10k yuan)"),
        kind="line",
        columns=[_("Month"), _("AUM (10k yuan)")],
        rows=[[f"{row['month']:%Y-%m}", in_ten_thousands(row["aum"])] for row in months],
        client_data=True,
    )
    visits = Chart(
        key="visit_trend",
        title=_("Visits per month"),
        kind="bar",
        columns=[_("Month"), _("Visits")],
        rows=[[f"{row['month']:%Y-%m}", row["visits"]] for row in months],
    )
    last = months[-1] if months else {}
    before = months[-2] if len(months) > 1 else {}
    change = None
    if last and before and before["aum"]:
        change = round(float(100 * (last["aum"] - before["aum"]) / before["aum"]), 1)
    return {
        "clients": now["clients"] or 0,
        "aum": in_ten_thousands(now["aum"]),
        "last_month": last.get("month"),
        "last_month_aum": in_ten_thousands(last.get("aum")),
        "last_month_visits": last.get("visits") or 0,
        "aum_change": change,
        "as_of": now["as_of"] or last.get("as_of"),
        "aum_chart": aum,
        "visit_chart": visits,
    }


def _node_sum(model, field: str, viewer, **filters) -> Subquery:
    """The sum of `field` over the summary rows of the outer org node (within the viewer's scope)."""
    return Subquery(
        model.objects.filter(node_scope_q(viewer), org_node=OuterRef("pk"), **filters)
        .values("org_node")
        .annotate(total=Sum(field))
        .values("total")
    )


def team_comparison(viewer) -> Chart:
    """Per org node holding clients (the teams): clients, AUM now, visits last month. One query."""
    last = NodeMonth.objects.filter(node_scope_q(viewer)).values("month").order_by("-month")[:1]
    nodes = (
        OrgNode.objects.filter(node_scope_q(viewer, prefix=""))
        .annotate(
            served=_node_sum(NodeTier, "clients", viewer),
            node_aum=_node_sum(NodeTier, "aum", viewer),
            month_visits=_node_sum(NodeMonth, "visits", viewer, month=Subquery(last)),
        )
        .filter(Q(served__isnull=False) | Q(month_visits__isnull=False))
        .order_by("path")
        .values_list("name", "served", "node_aum", "month_visits")
    )
    return Chart(
        key="team_compare",
        title=_("Team comparison"),
        kind="bar",
        columns=[_("Team"), _("Clients"), _("AUM (10k yuan)"), _("Visits last month")],
        rows=[
            [name, clients or 0, in_ten_thousands(aum), visits or 0] for name, clients, aum, visits in nodes
        ],
        series=(2, 3),
        client_data=True,
    )


def tier_mix(viewer) -> Chart:
    """Clients served per tier in the viewer's nodes (pie). One query."""
    tiers = ClientTier.objects.annotate(n=_tier_sum(viewer)).filter(n__isnull=False).order_by("order", "code")
    return Chart(
        key="tier_mix",
        title=_("Client tier mix"),
        kind="pie",
        columns=[_("Tier"), _("Clients")],
        rows=[[str(tier), tier.n] for tier in tiers],
        client_data=True,
    )


def _tier_sum(viewer) -> Subquery:
    return Subquery(
        NodeTier.objects.filter(node_scope_q(viewer), tier=OuterRef("pk"))
        .values("tier")
        .annotate(total=Sum("clients"))
        .values("total")
    )
