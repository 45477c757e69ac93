"""Reads of the org tree and staff, already limited to what the viewer may see."""

import django_filters
from django import forms
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amdesk.core.masking import mask

from .access import may_see_personal_data, org_nodes_q, scoped, staff_q
from .models import OrgLevel, OrgNode, Role, Staff


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ModelChoiceFilter(
        label=_("Role"),
        queryset=Role.objects.all(),
        field_name="roles",
        to_field_name="code",
        empty_label=_("Any role"),
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Role")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Staff.Status.choices,
        empty_label=_("Any status"),
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Status")}),
    )

    class Meta:
        model = Staff
        fields = ["q", "role", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(employee_no__icontains=value) | Q(username__icontains=value)
        )


def staff_list(*, viewer, filters: dict | None = None) -> QuerySet[Staff]:
    queryset = scoped(Staff.objects.all(), staff_q(viewer))
    queryset = queryset.select_related("org_node", "grade", "supervisor").prefetch_related(
        Prefetch("roles", queryset=Role.objects.order_by("id"))
    )
    if filters is not None:
        queryset = StaffFilter(filters, queryset=queryset).qs
    return queryset.distinct().order_by("employee_no")


def org_node_list(*, viewer) -> QuerySet[OrgNode]:
    """The nodes the viewer may see, in tree order, each with its count of active staff."""
    return (
        scoped(OrgNode.objects.all(), org_nodes_q(viewer))
        .select_related("leader")
        .annotate(active_staff=Count("staff", filter=Q(staff__status=Staff.Status.ACTIVE)))
        .order_by("path")
    )


def subtree_nodes(node: OrgNode) -> QuerySet[OrgNode]:
    """A node and everything under it: one range query on the indexed path."""
    return OrgNode.objects.filter(node.subtree_q()).order_by("path")


DEFAULT_BRANCH_DEPTH = 1  # the level below the head office, when the admin marked none


def branch_level() -> tuple[int, str]:
    """The depth whose nodes the reports call branches, and that level's name in the installation's
    vocabulary (分行, 地市公司…; "" when the level is unnamed): OrgLevel.reports_as_branch."""
    levels = {level.depth: level for level in OrgLevel.objects.all()}
    marked = next((level for level in levels.values() if level.reports_as_branch), None)
    depth = marked.depth if marked else DEFAULT_BRANCH_DEPTH
    level = levels.get(depth)
    return depth, (level.label if level else "")


def staff_phone_for(*, viewer, staff: Staff) -> str:
    """A staff member's phone as the viewer may see it: whole to himself and to roles that may see
    personal data, masked to everyone else (a colleague's or a subordinate's mobile is personal data)."""
    if viewer is not None and (viewer.pk == staff.pk or may_see_personal_data(viewer)):
        return staff.phone
    return mask(staff.phone, "mobile")
