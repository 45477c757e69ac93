"""The roll-up shared by the supervisors' reports: per-AM rows grouped by team, a subtotal row after
each team, a subtotal after each branch that has more than one team, and a total.

A report gathers its per-AM figures in a few set-based queries, each row naming its AM and team
(org node); this module names the teams and branches (two queries, whatever the number of rows) and
orders them in tree order. Subtotals come from the report itself (a callback): a sum for counts, and
for means (an index, an average score) the report's own query over the team, since a mean of the
AMs' means is not the team's mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from amdesk.orgs.models import PATH_SEPARATOR, PATH_STEP_WIDTH, OrgNode
from amdesk.orgs.selectors import branch_level
from amdesk.reports.framework.base import Column
from amdesk.reports.framework.values import ROW_KIND, SUBTOTAL

STEP = PATH_STEP_WIDTH + len(PATH_SEPARATOR)

# Row levels, kept in each row under "level"; subtotal rows also carry the formatters' mark (bold).
AM, TEAM, BRANCH = "am", "team", "branch"


@dataclass(frozen=True)
class Place:
    team_id: int | None
    team: str
    team_path: str
    branch_path: str
    branch: str


def node_within(node, prefix: str = "org_node__") -> Q:
    """The report's narrowing to an org subtree (None: all the viewer may see; the scope applies anyway)."""
    return node.subtree_q(prefix) if node is not None else Q()


def places(team_ids) -> dict[int | None, Place]:
    """Team and branch names and paths for these org nodes: two queries."""
    ids = {pk for pk in team_ids if pk is not None}
    depth, _label = branch_level()
    nodes = list(OrgNode.objects.filter(pk__in=ids).values_list("pk", "name", "path"))
    branch_paths = {path[: (depth + 1) * STEP] for _pk, _name, path in nodes if len(path) > depth * STEP}
    branch_names = dict(OrgNode.objects.filter(path__in=branch_paths).values_list("path", "name"))
    found: dict[int | None, Place] = {None: Place(None, "—", "", "", "—")}
    for pk, name, path in nodes:
        branch_path = path[: (depth + 1) * STEP] if len(path) > depth * STEP else path
        found[pk] = Place(pk, name, path, branch_path, branch_names.get(branch_path, name))
    return found


def rollup_columns(figure_columns: list[Column]) -> list[Column]:
    return [
        Column("branch", branch_level()[1] or _("Branch")),
        Column("team", _("Team")),
        Column("am", _("Account manager")),
        *figure_columns,
    ]


def rolled_up(
    am_rows: list[dict[str, Any]],
    *,
    subtotal: Callable[[str, Any, list[dict[str, Any]]], dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Order per-AM rows (each with "team_id" and "am") by branch, team and AM name, with subtotal
    rows; returns (rows, totals). `subtotal(level, key, rows)` gives a group's figures: level "team"
    (key the team id), "branch" (key the branch path) or "total" (key None), `rows` its AM rows."""
    where = places(row["team_id"] for row in am_rows)
    by_branch: dict[str, dict[int | None, list[dict]]] = {}
    for row in am_rows:
        place = where.get(row["team_id"], where[None])
        row.update(level=AM, branch=place.branch, team=place.team)
        by_branch.setdefault(place.branch_path, {}).setdefault(place.team_id, []).append(row)
    out: list[dict[str, Any]] = []
    several_teams = sum(len(teams) for teams in by_branch.values()) > 1
    for branch_path in sorted(by_branch):
        teams = by_branch[branch_path]
        branch_rows: list[dict] = []
        for team_id in sorted(teams, key=lambda pk: where.get(pk, where[None]).team_path):
            rows = sorted(teams[team_id], key=lambda r: str(r["am"]))
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
            first = where.get(next(iter(teams)), where[None])
            out.append(
                {
                    **subtotal(BRANCH, branch_path, branch_rows),
                    "level": BRANCH,
                    ROW_KIND: SUBTOTAL,
                    "branch": first.branch,
                    "team": _("Branch subtotal"),
                    "am": "",
                }
            )
    totals = {**subtotal("total", None, am_rows), "branch": _("Total"), "team": "", "am": ""}
    return out, totals


def summed(keys: list[str]) -> Callable[[str, Any, list[dict[str, Any]]], dict[str, Any]]:
    """A subtotal callback that adds up these keys of the AM rows (counts and amounts)."""

    def add(_level, _key, rows):
        return {key: sum((row.get(key) or 0) for row in rows) for key in keys}

    return add


def rate(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None
