"""Reads of the client archive, always through the scope gate."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.core.i18n import localized
from amdesk.orgs.access import client_q, org_nodes_q, scoped, staff_q
from amdesk.orgs.models import OrgNode, Staff

from .models import (
    AumSnapshot,
    Client,
    ClientGrade,
    ClientSettings,
    ClientTier,
    Contact,
    CreditRating,
    Holding,
    Tag,
    VipLevel,
)
from .search import search

# Sort keys offered on the list: each ends in the primary key so the order is total and stable.
SORTS = {
    "-id": ("-id",),
    "id": ("id",),
    "-aum": ("-aum", "-id"),
    "aum": ("aum", "id"),
    "completeness": ("completeness", "id"),
    "-completeness": ("-completeness", "-id"),
    "-updated": ("-updated_at", "-id"),
    "name": ("name", "id"),
}
SORT_CHOICES = [
    ("-id", _("Newest first")),
    ("-aum", _("AUM, highest first")),
    ("aum", _("AUM, lowest first")),
    ("completeness", _("Least complete first")),
    ("-completeness", _("Most complete first")),
    ("-updated", _("Recently changed")),
    ("name", _("Name")),
]


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Client.Kind.choices, empty_label=_("Any kind")
    )
    lifecycle = django_filters.ChoiceFilter(
        label=_("Lifecycle"), choices=Client.Lifecycle.choices, empty_label=_("Any lifecycle")
    )
    # Tiers and grades by code (`?tier=key&grade=3`), the preset's order; retired ones still find
    # the clients kept on them.
    tier = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("client", "Tier"),
        queryset=ClientTier.objects.all(),
        to_field_name="code",
        empty_label=_("Any tier"),
    )
    grade = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("client", "Grade"),
        queryset=ClientGrade.objects.all(),
        to_field_name="code",
        empty_label=_("Any grade"),
    )
    # "Grade 3 and above" (tobacco: only those may be recommended) whatever the grades are called.
    grade_min = django_filters.NumberFilter(
        label=_("Grade rank from"), field_name="grade__rank", lookup_expr="gte", min_value=0, max_value=32767
    )
    vip_level = django_filters.ModelChoiceFilter(
        label=_("VIP level"),
        queryset=VipLevel.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("Any VIP level"),
    )
    owner = django_filters.CharFilter(label=_("Owner (employee number)"), field_name="owner__employee_no")
    org = django_filters.CharFilter(label=_("Org node code"), method="under_node")
    tag = django_filters.CharFilter(label=_("Tag"), method="with_tag")
    big_account = django_filters.BooleanFilter(label=_("Big account"), field_name="is_big_account")
    stakeholder_gap = django_filters.BooleanFilter(label=_("Stakeholder map incomplete"))
    completeness_min = django_filters.NumberFilter(
        label=_("Completeness from (%)"), field_name="completeness", lookup_expr="gte"
    )
    completeness_max = django_filters.NumberFilter(
        label=_("Completeness up to (%)"), field_name="completeness", lookup_expr="lte"
    )
    aum_min = django_filters.NumberFilter(label=_("AUM from"), method="aum_range")
    aum_max = django_filters.NumberFilter(label=_("AUM up to"), method="aum_range")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Client
        fields = [
            "q",
            "kind",
            "lifecycle",
            "tier",
            "grade",
            "grade_min",
            "vip_level",
            "owner",
            "org",
            "tag",
            "big_account",
            "stakeholder_gap",
            "completeness_min",
            "completeness_max",
            "aum_min",
            "aum_max",
            "sort",
        ]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():  # the page's pickers look like the rest of the form
            if getattr(field.widget, "input_type", None) == "select":
                field.widget.attrs.setdefault("class", "form-select")
                field.widget.attrs.setdefault("aria-label", str(field.label))
        return form

    def search(self, queryset, name, value):
        return search(queryset, value)

    def under_node(self, queryset, name, value):
        node = OrgNode.objects.filter(code=value).first()
        return queryset.filter(node.subtree_q("org_node__")) if node else queryset.none()

    def with_tag(self, queryset, name, value):
        return queryset.filter(pk__in=Client.tags.through.objects.filter(tag__name=value).values("client_id"))

    def aum_range(self, queryset, name, value):
        lookup = "gte" if name == "aum_min" else "lte"
        if self.data.get("sort") in ("aum", "-aum"):
            return queryset.filter(**{f"aum__{lookup}": value})
        # Not sorted by AUM: "aum + 0" keeps SQLite (no histograms) from reading the whole range
        # through the (aum, id) index and sorting it, instead of walking the sort order and stopping
        # after a page (bench/README.md: 400 ms → 3 ms at 1M clients; PostgreSQL unchanged).
        unindexed = ExpressionWrapper(
            F("aum") + 0, output_field=DecimalField(max_digits=18, decimal_places=2)
        )
        return queryset.alias(aum_unindexed=unindexed).filter(**{f"aum_unindexed__{lookup}": value})

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-id"]))


def client_list(*, viewer, filters: dict | None = None, strict: bool = False) -> QuerySet[Client]:
    """Clients in the viewer's scope, filtered; `strict` refuses invalid filters instead of ignoring them.

    Pages ignore a filter they cannot read (a stale bookmark still shows a list); the API says so.
    """
    queryset = scoped(Client.objects.all(), client_q(viewer)).select_related(
        "owner", "org_node", "vip_level", "tier", "grade"
    )
    queryset = queryset.order_by("-id")
    if filters is not None:
        filterset = ClientFilter(filters, queryset=queryset)
        if strict and not filterset.is_valid():
            raise ValidationError(
                {
                    field: [str(message) for message in messages]
                    for field, messages in filterset.errors.items()
                }
            )
        queryset = filterset.qs
    return queryset


def filter_choices(*, viewer) -> dict:
    """What the list's owner, org and tag pickers offer: only people and nodes in the viewer's scope."""
    return {
        "owners": Staff.objects.filter(staff_q(viewer), roles__code="account_manager")
        .distinct()
        .order_by("employee_no")
        .values_list("employee_no", "full_name"),
        "nodes": OrgNode.objects.filter(org_nodes_q(viewer), is_active=True)
        .order_by("path")
        .values_list("code", "name"),
        "tags": Tag.objects.order_by("name").values_list("name", flat=True),
    }


def contacts_of(client: Client) -> QuerySet[Contact]:
    """The client's contacts, decision makers first."""
    return client.contacts.order_by("-is_decision_maker", "name", "id")


def credit_ratings_of(client: Client) -> QuerySet[CreditRating]:
    """The client's credit ratings, the latest first."""
    return client.credit_ratings.select_related("rater").order_by("-rated_on", "-id")


def owner_history(client: Client):
    return client.ownerships.select_related("owner", "handed_over_by").order_by("-started_at", "-id")


def client_changes(client: Client, limit: int = 100):
    return client.changes.select_related("changed_by").order_by("-changed_at", "-id")[:limit]


@dataclass(frozen=True)
class LineValue:
    line: str
    balance: Decimal
    profit: Decimal


CENT = Decimal("0.01")


def _profit():
    """Simulated annual profit 模拟利润 of a holding: its balance × its product's margin (percent)."""
    return ExpressionWrapper(
        F("balance") * F("product__margin_percent") / 100,
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def _cents(amount) -> Decimal:
    # SQLite computes decimals as floats: round to cents so both databases answer alike.
    return Decimal(str(amount or 0)).quantize(CENT)


def holdings_of(client: Client) -> QuerySet[Holding]:
    """The client's holdings with product and line, each with its simulated profit (`profit`)."""
    return (
        client.holdings.select_related("product__line")
        .annotate(profit=Round(_profit(), 2))
        .order_by("product__line__order", "product__order")
    )


def profit_contribution(client: Client) -> tuple[list[LineValue], Decimal]:
    """Simulated annual profit 模拟利润 by product line: balance × the product's margin, one query."""
    rows = (
        client.holdings.values("product__line__order", "product__line__name", "product__line__name_en")
        # "line_balance", not "balance": an annotation may not reuse the name of a model field.
        .annotate(line_balance=Sum("balance"), profit=Sum(_profit()))
        .order_by("product__line__order")
    )
    lines = [
        LineValue(
            localized(row["product__line__name"], row["product__line__name_en"]),
            row["line_balance"],
            _cents(row["profit"]),
        )
        for row in rows
    ]
    return lines, sum((line.profit for line in lines), Decimal("0.00"))


def aum_series(
    client: Client, *, today: date, start: date | None = None, end: date | None = None
) -> list[tuple[date, Decimal]]:
    """The client's AUM snapshots from `start` to `end`, oldest first.

    Without `start`, the months the settings ask for (from the first of the month); without
    `end`, up to `today`.
    """
    if start is None:
        months = ClientSettings.current().aum_chart_months
        month_index = today.year * 12 + today.month - 1 - (months - 1)
        start = date(month_index // 12, month_index % 12 + 1, 1)
    return list(
        AumSnapshot.objects.filter(client=client, as_of__gte=start, as_of__lte=end or today)
        .order_by("as_of")
        .values_list("as_of", "amount")
    )


@dataclass(frozen=True)
class CompletenessRow:
    key: str
    label: str
    clients: int
    complete: int
    average: float

    @property
    def rate(self) -> float:
        """The archive completeness rate 客户档案完备率: share of archives counted as complete."""
        return 100.0 * self.complete / self.clients if self.clients else 0.0


def completeness_rates(*, viewer, by: str = "owner") -> list[CompletenessRow]:
    """Completeness per account manager (by="owner") or per org node (by="org"), in the viewer's scope.

    One GROUP BY query; "complete" means at or above the percentage the settings name.
    """
    threshold = ClientSettings.current().complete_at_percent
    group = {
        "owner": ("owner__employee_no", "owner__full_name"),
        "org": ("org_node__code", "org_node__name"),
    }[by]
    rows = (
        scoped(Client.objects.all(), client_q(viewer))
        .exclude(lifecycle=Client.Lifecycle.LOST)
        .values(*group)
        .annotate(
            clients=Count("id"),
            complete=Count("id", filter=Q(completeness__gte=threshold)),
            average=Avg("completeness"),
        )
        .order_by(group[0])
    )
    return [
        CompletenessRow(
            row[group[0]], row[group[1]], row["clients"], row["complete"], float(row["average"] or 0)
        )
        for row in rows
    ]
