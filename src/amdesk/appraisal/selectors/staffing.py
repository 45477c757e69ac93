"""Staffing ratios (seed 002 第4篇; bank: one product manager for every three account managers),
checked per team: a node with people holding a ratio's `per_role`. For heads and supervisors (their
scope) and the appraisal admin; shown beside the appraisal results."""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext as _

from amdesk.orgs.access import org_nodes_q, oversees
from amdesk.orgs.models import OrgNode, Role, Staff

from ..models import StaffingRatio
from .disc import is_hr


def may_see_staffing(viewer) -> bool:
    return is_hr(viewer) or oversees(viewer)


def ensure_staffing(viewer) -> None:
    if not may_see_staffing(viewer):
        raise PermissionDenied(_("Staffing is shown to heads, supervisors and the appraisal administrator."))


@dataclass(frozen=True)
class StaffingLine:
    ratio: StaffingRatio
    basis: int  # holders of per_role in the team
    required: int
    actual: int

    @property
    def short(self) -> bool:
        return self.actual < self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.actual)


@dataclass(frozen=True)
class TeamStaffing:
    team: OrgNode
    lines: list[StaffingLine]

    @property
    def short(self) -> bool:
        return any(line.short for line in self.lines)


def staffing_for(viewer) -> list[TeamStaffing]:
    """Per team in the viewer's scope, each ratio's required and actual holders (three queries,
    whatever the number of teams); empty for a viewer who may not see staffing."""
    if not may_see_staffing(viewer):
        return []
    ratios = list(StaffingRatio.objects.select_related("role", "per_role").order_by("role_id", "per_role_id"))
    if not ratios:
        return []
    role_ids = {r.role_id for r in ratios} | {r.per_role_id for r in ratios}
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        Staff.roles.through.objects.filter(
            role_id__in=role_ids,
            staff__status=Staff.Status.ACTIVE,
            staff__org_node__in=OrgNode.objects.filter(org_nodes_q(viewer), is_active=True),
        )
        .values("staff__org_node_id", "role_id")
        .annotate(n=Count("staff_id", distinct=True))
    )
    for row in rows:
        counts[row["staff__org_node_id"]][row["role_id"]] = row["n"]
    basis_roles = {r.per_role_id for r in ratios}
    team_ids = [node_id for node_id, by_role in counts.items() if basis_roles & set(by_role)]
    teams = OrgNode.objects.filter(pk__in=team_ids).order_by("path")
    result = []
    for team in teams:
        by_role = counts[team.pk]
        lines = []
        for ratio in ratios:
            basis = by_role.get(ratio.per_role_id, 0)
            required = math.ceil(basis / ratio.per_count) if basis else 0
            lines.append(
                StaffingLine(
                    ratio=ratio, basis=basis, required=required, actual=by_role.get(ratio.role_id, 0)
                )
            )
        result.append(TeamStaffing(team=team, lines=lines))
    return result


def staffing_roles() -> list[Role]:
    return list(Role.objects.filter(pk__in=StaffingRatio.objects.values("role_id")))
