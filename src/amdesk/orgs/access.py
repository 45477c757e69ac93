"""The one gate of data scope: who may see which records.

- account manager (scope "own"): the records he owns;
- supervisor, outlet or branch head (scope "subtree"): everything under the nodes he leads
  (his own node when he leads none);
- appraisal admin, system admin (scope "all"): everything, with client personal data masked
  unless one of his roles may see it.

A user with several roles gets the widest scope of them. Later capabilities call records_q()
or scoped() for lists, counts, search and exports, and access_<entity>() for one object,
which raises the same "not found" for missing and forbidden.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OrgNode, Role, Staff, subtree_range_q

_WIDTH = {Role.Scope.OWN: 0, Role.Scope.SUBTREE: 1, Role.Scope.ALL: 2}


@dataclass(frozen=True)
class Scope:
    kind: str  # one of Role.Scope
    viewer_id: int
    node_paths: tuple[str, ...] = ()  # roots of the subtrees, for kind "subtree"
    may_see_personal_data: bool = False

    @property
    def kind_label(self) -> str:
        return Role.Scope(self.kind).label

    @property
    def sees_all(self) -> bool:
        return self.kind == Role.Scope.ALL

    def node_q(self, node_prefix: str) -> Q:
        """Rows whose org node (reached through `node_prefix`, e.g. "org_node__") lies in a scope subtree."""
        if not self.node_paths:
            return Q(pk__in=[])
        return reduce(or_, (subtree_range_q(path, node_prefix) for path in self.node_paths))


_NOTHING = Scope(kind=Role.Scope.OWN, viewer_id=0)


def scope_of(viewer) -> Scope:
    """The viewer's scope, computed once per user object."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return _NOTHING
    cached = getattr(viewer, "_amdesk_scope", None)
    if cached is not None:
        return cached
    roles = list(viewer.roles.values("scope", "may_see_personal_data"))
    kind = max((role["scope"] for role in roles), key=_WIDTH.__getitem__, default=Role.Scope.OWN)
    if viewer.is_superuser:  # e.g. made by `amdesk createsuperuser`, before any role is given
        kind = Role.Scope.ALL
    paths: tuple[str, ...] = ()
    if kind == Role.Scope.SUBTREE:
        led = list(OrgNode.objects.filter(leader=viewer, is_active=True).values_list("path", flat=True))
        if not led and viewer.org_node_id:
            led = [OrgNode.objects.values_list("path", flat=True).get(pk=viewer.org_node_id)]
        paths = _outermost(led)
    scope = Scope(
        kind=kind,
        viewer_id=viewer.pk,
        node_paths=paths,
        may_see_personal_data=any(role["may_see_personal_data"] for role in roles),
    )
    viewer._amdesk_scope = scope
    return scope


def _outermost(paths: list[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another one, so subtree conditions do not overlap."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(kept)


def records_q(viewer, *, owner_field: str = "owner", node_field: str = "org_node") -> Q:
    """The condition for records with an owner and an org node (clients, visits, tickets…)."""
    scope = scope_of(viewer)
    if scope.sees_all:
        return Q()
    own = Q(**{f"{owner_field}_id": scope.viewer_id})
    if scope.kind == Role.Scope.SUBTREE:
        return own | scope.node_q(f"{node_field}__")
    return own


def staff_q(viewer) -> Q:
    """Which staff the viewer sees: himself; those under his led nodes; everyone for admins."""
    scope = scope_of(viewer)
    if scope.sees_all:
        return Q()
    if scope.kind == Role.Scope.SUBTREE:
        return Q(pk=scope.viewer_id) | scope.node_q("org_node__")
    return Q(pk=scope.viewer_id)


def org_nodes_q(viewer) -> Q:
    scope = scope_of(viewer)
    if scope.sees_all:
        return Q()
    if scope.kind == Role.Scope.SUBTREE:
        return scope.node_q("")
    node_id = getattr(viewer, "org_node_id", None)
    return Q(pk=node_id) if node_id else Q(pk__in=[])


def may_see_personal_data(viewer) -> bool:
    return scope_of(viewer).may_see_personal_data


def scoped(queryset: QuerySet, q: Q) -> QuerySet:
    return queryset.filter(q) if q else queryset


def access_staff(viewer, staff_id) -> Staff:
    """One staff member the viewer may see; "not found" for both missing and forbidden."""
    staff = Staff.objects.filter(staff_q(viewer), pk=staff_id).select_related("org_node", "grade").first()
    if staff is None:
        raise Http404("No such staff member.")
    return staff


def client_q(viewer) -> Q:
    return records_q(viewer, owner_field="owner", node_field="org_node")


def access_client(viewer, client_id):
    """One client the viewer may see; "not found" for both missing and forbidden."""
    from amdesk.clients.models import Client

    client = Client.objects.filter(client_q(viewer), pk=client_id).select_related("owner", "org_node").first()
    if client is None:
        raise Http404("No such client.")
    return client


def may_hand_over(viewer) -> bool:
    """Handing clients between account managers is for those who oversee several (supervisors, heads)."""
    return scope_of(viewer).kind != Role.Scope.OWN
