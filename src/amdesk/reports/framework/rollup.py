"""The roll-up every supervisor's report shares: the account managers in the viewer's scope (narrowed
to one org node when asked), one row per person, a subtotal row per team, a grand total.

    from amdesk.reports.framework.rollup import account_managers, resolve_node, rollup_rows

Figures are summed as counts and the rates derived again from the sums (a team's rate is not the
mean of its members' rates)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amdesk.orgs.access import org_nodes_q, oversees, scope_of, scoped, staff_q
from amdesk.orgs.models import OrgNode, Staff

from .values import ROW_KIND, SUBTOTAL

AM_ROLE = "account_manager"


def node_choices(viewer) -> QuerySet[OrgNode]:
    """The nodes a viewer may narrow a report to: those he sees, when he sees others' records."""
    if not oversees(viewer):
        return OrgNode.objects.none()
    return scoped(OrgNode.objects.filter(is_active=True), org_nodes_q(viewer)).order_by("path")


def resolve_node(viewer, node_id) -> OrgNode | None:
    """The node asked for (None when none is): "not found" for a node outside the viewer's scope."""
    if node_id in (None, ""):
        return None
    try:
        pk = int(node_id)
    except (TypeError, ValueError):
        raise Http404("No such org node.") from None
    node = node_choices(viewer).filter(pk=pk).first()
    if node is None:
        raise Http404("No such org node.")
    return node


def account_managers(viewer, node: OrgNode | None = None, *, extra_ids: Iterable[int] = ()) -> list[Staff]:
    """Active account managers the viewer sees (himself only, for an account manager), under `node`
    when given, in tree order; `extra_ids`: others with figures in scope (e.g. an owner who left)."""
    people = Staff.objects.filter(roles__code=AM_ROLE, status=Staff.Status.ACTIVE)
    if extra_ids:
        people = Staff.objects.filter(pk__in=list(extra_ids)) | people
    people = scoped(people, staff_q(viewer))
    if node is not None:
        people = people.filter(node.subtree_q("org_node__"))
    return list(people.select_related("org_node").distinct().order_by("org_node__path", "employee_no", "pk"))


def scope_label(viewer, node: OrgNode | None) -> str:
    """Whom the report covers, for its subtitle."""
    if node is not None:
        return node.name
    scope = scope_of(viewer)
    if scope.sees_all:
        return _("All organisation")
    if scope.kind == "own":
        return viewer.full_name or viewer.get_username()
    names = list(OrgNode.objects.filter(path__in=scope.node_paths).values_list("name", flat=True))
    return "、".join(names) or (viewer.full_name or viewer.get_username())


def rollup_rows(
    people: list[Staff],
    figures: dict[int, dict[str, Any]],
    *,
    sum_keys: Iterable[str],
    derive: Callable[[dict[str, Any]], dict[str, Any]] = lambda _row: {},
    subtotals: bool = True,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for a Table (keys "name" and "team", the figures, derived values) with a subtotal row
    after each team's people, and the grand total (for Table.totals)."""
    keys = list(sum_keys)
    rows: list[dict[str, Any]] = []
    total = dict.fromkeys(keys, 0)
    team_sum: dict[str, Any] | None = None
    team_id = object()
    team_name = ""

    def close_team():
        if team_sum is not None and subtotals:
            rows.append(
                {
                    "name": _("%(team)s subtotal") % {"team": team_name},
                    "team": team_name,
                    ROW_KIND: SUBTOTAL,
                    **team_sum,
                    **derive(team_sum),
                }
            )

    for person in people:
        if person.org_node_id != team_id:
            close_team()
            team_id, team_name = person.org_node_id, person.org_node.name if person.org_node else ""
            team_sum = dict.fromkeys(keys, 0)
        mine = figures.get(person.pk, {})
        values = {key: mine.get(key, 0) or 0 for key in keys}
        rows.append(
            {
                "name": person.full_name or person.username,
                "team": team_name,
                **mine,
                **values,
                **derive(values),
            }
        )
        for key in keys:
            team_sum[key] += values[key]
            total[key] += values[key]
    close_team()
    return rows, {"name": _("Total"), "team": "", **total, **derive(total)}


def rate(part, whole) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None
