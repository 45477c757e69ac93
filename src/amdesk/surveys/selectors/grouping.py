"""Grouping responses and invitations by account manager, team (org node) or branch, in SQL."""

from django.db.models import F
from django.db.models.functions import Substr

from amdesk.orgs.models import PATH_SEPARATOR, PATH_STEP_WIDTH, OrgNode, Staff
from amdesk.orgs.selectors import branch_level

GROUPS = ("owner", "team", "branch")


def group_key(group_by: str, prefix: str = ""):
    """The SQL expression a row is grouped by: the AM's id, the node's id, or the branch's path."""
    if group_by == "owner":
        return F(f"{prefix}owner_id")
    if group_by == "team":
        return F(f"{prefix}org_node_id")
    if group_by == "branch":
        # The node's path cut after the branch's depth is the branch's own path; the branch level
        # is the admin's, shared with every report (OrgLevel.reports_as_branch).
        depth, _label = branch_level()
        return Substr(f"{prefix}org_node__path", 1, (depth + 1) * (PATH_STEP_WIDTH + len(PATH_SEPARATOR)))
    raise ValueError(f"group_by must be one of {GROUPS}")


def group_labels(group_by: str, keys) -> dict:
    """Names for the keys of group_key, in one query."""
    keys = [key for key in keys if key is not None]
    if not keys:
        return {}
    if group_by == "owner":
        return dict(Staff.objects.filter(pk__in=keys).values_list("pk", "full_name"))
    if group_by == "team":
        return dict(OrgNode.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(OrgNode.objects.filter(path__in=keys).values_list("path", "name"))
