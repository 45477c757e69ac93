"""Reads of the client archive, always through the scope gate."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import client_q, scoped
from amdesk.orgs.models import OrgNode

from .models import Client, VipLevel
from .search import search


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Client.Kind.choices)
    lifecycle = django_filters.ChoiceFilter(label=_("Lifecycle"), choices=Client.Lifecycle.choices)
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Client.Tier.choices)
    grade = django_filters.NumberFilter(label=_("Grade"))
    vip_level = django_filters.ModelChoiceFilter(
        label=_("VIP level"), queryset=VipLevel.objects.filter(is_active=True), to_field_name="code"
    )
    owner = django_filters.CharFilter(label=_("Owner (employee number)"), field_name="owner__employee_no")
    org = django_filters.CharFilter(label=_("Org node code"), method="under_node")

    class Meta:
        model = Client
        fields = ["q", "kind", "lifecycle", "tier", "grade", "vip_level", "owner", "org"]

    def search(self, queryset, name, value):
        return search(queryset, value)

    def under_node(self, queryset, name, value):
        node = OrgNode.objects.filter(code=value).first()
        return queryset.filter(node.subtree_q("org_node__")) if node else queryset.none()


def client_list(*, viewer, filters: dict | None = None) -> QuerySet[Client]:
    queryset = scoped(Client.objects.all(), client_q(viewer)).select_related("owner", "org_node", "vip_level")
    if filters is not None:
        queryset = ClientFilter(filters, queryset=queryset).qs
    return queryset.order_by("-id")


def owner_history(client: Client):
    return client.ownerships.select_related("owner", "handed_over_by").order_by("-started_at", "-id")
