"""The roll-up every report shares: one row per account manager, grouped by team (org node) in tree
order, a subtotal row after each team, a subtotal after each branch that has several teams, and a
grand total (for Table.totals).

    from amdesk.reports.framework.rollup import account_managers, person_rows, rollup_rows

A report gathers its per-AM figures in a few set-based queries, each row naming its AM ("am") and
team ("team_id"); rollup_rows names the teams and branches (three queries, whatever the number of
rows). A group's figures come from `subtotal(level, key, rows)` when the report supplies one (a
mean such as a satisfaction index or an average score is the report's own query or rule: a mean of
the AMs' means is not the team's mean); by default the `sum_keys` are added up and `derive`
computes the rates again from the sums (a team's rate is not the mean of its members' rates).

The branch is the org level the admin marks (OrgLevel.reports_as_branch, orgs.selectors
.branch_level). A branch subtotal is shown for a branch with several teams when the table holds
several branches; with one branch, its figures are the total's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amdesk.orgs.access import org_nodes_q, oversees, scope_of, scoped, staff_q
from amdesk.orgs.models import PATH_SEPARATOR, PATH_STEP_WIDTH, OrgNode, Staff
from amdesk.orgs.selectors import branch_level

from .base import Column
from .values import ROW_KIND, SUBTOTAL

AM_ROLE = "account_manager"
STEP = PATH_STEP_WIDTH + len(PATH_SEPARATOR)

# Row levels, kept in each row under "level"; subtotal rows also carry ROW_KIND (shown in bold).
AM, TEAM, BRANCH, TOTAL = "am", "team", "branch", "total"

Subtotal = Callable[[str, Any, list[dict[str, Any]]], dict[str, Any]]


# -- scope: whom a report covers ---------------------------------------------------------------


def node_choices(viewer) -> QuerySet[OrgNode]:
    """The nodes a viewer may narrow a report to: those he sees, when he sees others' records."""
    if not oversees(viewer):
        return OrgNode.objects.none()
    return scoped(OrgNode.objects.filter(is_active=True), org_nodes_q(viewer)).order_by("path")


def resolve_node(viewer, node_id) -> OrgNode | None:
    """The node asked for (None when none is): "not found" for a node outside the viewer's scope."""
    if node_id in (None, ""):
        return None
    if isinstance(node_id, OrgNode):
        node_id = node_id.pk
    try:
        pk = int(node_id)
    except (TypeError, ValueError):
        raise Http404("No such org node.") from None
    node = node_choices(viewer).filter(pk=pk).first()
    if node is None:
        raise Http404("No such org node.")
    return node


def node_within(node, prefix: str = "org_node__") -> Q:
    """The report's narrowing to an org subtree (None: all the viewer may see; the scope applies anyway)."""
    return node.subtree_q(prefix) if node is not None else Q()


def account_managers(viewer, node: OrgNode | None = None, *, extra_ids: Iterable[int] = ()) -> list[Staff]:
    """Active account managers the viewer sees (himself only, for an account manager), under `node`
    when given, in tree order; `extra_ids`: others with figures in scope (e.g. an owner who left)."""
    people = Staff.objects.filter(roles__code=AM_ROLE, status=Staff.Status.ACTIVE)
    if extra_ids:
        people = Staff.objects.filter(pk__in=list(extra_ids)) | people
    people = scoped(people, staff_q(viewer))
    if node is not None:
        people = people.filter(node.subtree_q("org_node__"))
    return list(people.distinct().order_by("org_node__path", "employee_no", "pk"))


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


# -- the roll-up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    team_id: int | None
    team: str
    team_path: str
    branch_path: str
    branch: str


def places(team_ids: Iterable[int | None]) -> dict[int | None, Place]:
    """Team and branch names and paths for these org nodes: three queries (none without nodes)."""
    found: dict[int | None, Place] = {None: Place(None, "—", "", "", "—")}
    ids = {pk for pk in team_ids if pk is not None}
    if not ids:
        return found
    depth, _label = branch_level()
    cut = (depth + 1) * STEP
    nodes = list(OrgNode.objects.filter(pk__in=ids).values_list("pk", "name", "path"))
    branch_names = dict(
        OrgNode.objects.filter(path__in={path[:cut] for _pk, _name, path in nodes}).values_list(
            "path", "name"
        )
    )
    for pk, name, path in nodes:
        # a node above the branch level (an AM attached to the head office) is its own branch
        branch_path = path[:cut] if len(path) >= cut else path
        found[pk] = Place(pk, name, path, branch_path, branch_names.get(branch_path, name))
    return found


def rollup_columns(figure_columns: list[Column]) -> list[Column]:
    """The roll-up's leading columns (branch, team, account manager), then the report's figures."""
    return [
        Column("branch", branch_level()[1] or _("Branch")),
        Column("team", _("Team")),
        Column("am", _("Account manager")),
        *figure_columns,
    ]


def person_rows(people: list[Staff], figures: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """One roll-up row per person (also those without figures), from {staff id: figures}."""
    return [
        {
            **figures.get(person.pk, {}),
            "am": person.full_name or person.username,
            "team_id": person.org_node_id,
        }
        for person in people
    ]


def summed(keys: Iterable[str], derive: Callable[[dict], dict] | None = None) -> Subtotal:
    """The default subtotal: these keys added up over the group's AM rows, then `derive` on the sums."""
    keys = list(keys)

    def add(_level, _key, rows):
        values = {key: sum((row.get(key) or 0) for row in rows) for key in keys}
        return {**values, **(derive(values) if derive else {})}

    return add


def rollup_rows(
    am_rows: list[dict[str, Any]],
    *,
    sum_keys: Iterable[str] = (),
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    subtotal: Subtotal | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Order per-AM rows (each with "am" and "team_id") by branch and team in tree order (the AMs of
    a team in the order given), with subtotal rows; returns (rows, totals).

    Every AM row gets its missing `sum_keys` as 0 and `derive(row)` merged in. `subtotal(level, key,
    rows)` gives a group's figures: level TEAM (key: the team id), BRANCH (key: the branch path) or
    TOTAL (key: None), `rows` the group's AM rows; default: `summed(sum_keys, derive)`."""
    keys = list(sum_keys)
    subtotal = subtotal or summed(keys, derive)
    where = places(row.get("team_id") for row in am_rows)
    by_branch: dict[str, dict[int | None, list[dict]]] = {}
    for row in am_rows:
        for key in keys:
            row[key] = row.get(key) or 0
        if derive:
            row.update(derive(row))
        place = where.get(row.get("team_id"), where[None])
        row.update(level=AM, branch=place.branch, team=place.team)
        by_branch.setdefault(place.branch_path, {}).setdefault(place.team_id, []).append(row)

    out: list[dict[str, Any]] = []
    several_teams = sum(len(teams) for teams in by_branch.values()) > 1
    for branch_path in sorted(by_branch):
        teams = by_branch[branch_path]
        branch_rows: list[dict] = []
        for team_id in sorted(teams, key=lambda pk: where.get(pk, where[None]).team_path):
            rows = teams[team_id]
            place = where.get(team_id, where[None])
            out.extend(rows)
            if several_teams:
                out.append(
                    {
                        **subtotal(TEAM, team_id, rows),
                        "level": TEAM,
                        ROW_KIND: SUBTOTAL,
                        "branch": place.branch,
                        "team": place.team,
                        "am": _("Team subtotal"),
                    }
                )
            branch_rows.extend(rows)
        if len(teams) > 1 and len(by_branch) > 1:
            out.append(
                {
                    **subtotal(BRANCH, branch_path, branch_rows),
                    "level": BRANCH,
                    ROW_KIND: SUBTOTAL,
                    "branch": branch_rows[0]["branch"],
                    "team": _("Branch subtotal"),
                    "am": "",
                }
            )
    totals = {**subtotal(TOTAL, None, am_rows), "level": TOTAL, "branch": _("Total"), "team": "", "am": ""}
    return out, totals


def am_only(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The AM rows of a rolled-up table (for a chart per account manager)."""
    return [row for row in rows if row.get("level") == AM]


def rate(part, whole) -> float | None:
    """part / whole in %, one decimal; None when there is no whole."""
    return round(100 * float(part) / float(whole), 1) if whole else None
