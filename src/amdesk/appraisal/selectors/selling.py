"""Team selling 团队营销, read: a client's selling team, and who may join it."""

from django.db.models import Q

from amdesk.orgs.access import access_client
from amdesk.orgs.models import Role, Staff, subtree_range_q

from ..models import SellingShareDefault, SellingTeamMember
from ..services.stale import fingerprint
from .training import ancestor_paths

CANDIDATE_LIMIT = 300


def selling_team_of(client) -> list[SellingTeamMember]:
    return list(
        SellingTeamMember.objects.filter(client=client)
        .select_related("staff", "role")
        .order_by("-share_percent", "staff__employee_no")
    )


def selling_team(*, viewer, client_id):
    """(client, members) for a client the viewer sees; "not found" otherwise."""
    client = access_client(viewer, client_id)
    return client, selling_team_of(client)


def team_fingerprint(client) -> str:
    rows = SellingTeamMember.objects.filter(client=client).order_by("staff_id")
    return fingerprint([[r.staff_id, r.role_id, str(r.share_percent)] for r in rows])


def team_node_q(client, prefix: str = "org_node__") -> Q:
    """People who may serve the client: on its node, under it, or on a node above it (an outlet's
    or branch's product or risk manager whose scope covers the client)."""
    path = client.org_node.path
    return subtree_range_q(path, prefix) | Q(**{f"{prefix}path__in": ancestor_paths(path)})


def team_candidates(client):
    return (
        Staff.objects.filter(team_node_q(client), status=Staff.Status.ACTIVE)
        .select_related("org_node")
        .order_by("org_node__path", "employee_no")[:CANDIDATE_LIMIT]
    )


def share_defaults() -> dict[int, object]:
    """{role id: default share %} as configured (bank: AM 60, product 20, risk 20)."""
    return dict(SellingShareDefault.objects.values_list("role_id", "share_percent"))


def team_roles():
    """The roles a team member may take: those with a configured share, else every role."""
    with_share = Role.objects.filter(pk__in=SellingShareDefault.objects.values("role_id"))
    return with_share if with_share.exists() else Role.objects.all()
