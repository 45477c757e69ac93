"""The one gate of data scope: who may see, and who may change, which records.

Reading (Role.scope):
- account manager (scope "own"): the records he owns;
- supervisor, outlet or branch head (scope "subtree"): everything under the nodes he leads
  (his own node when he leads none);
- appraisal admin, system admin (scope "all"): everything, with client personal data masked
  unless one of his roles may see it.

Writing (Role.write_scope, data seeded by the presets and edited in the admin): the same kinds
plus "none" (read only). An account manager changes his own clients' records, a supervisor or head
those under the nodes he leads (handover, reviews); product, risk and appraisal roles read only.
A role never writes wider than it reads: each role's write reach is the narrower of its two scopes.

A user with several roles gets the widest scope of them, for reading and for writing. Later
capabilities call records_q() or scoped() for lists, counts, search and exports, and
access_<entity>() for one object, which raises the same "not found" for missing and forbidden;
with for_write=True it raises PermissionDenied (403) for a record the viewer sees but may not change.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import OrgNode, Role, Staff, subtree_range_q

_WIDTH = {Role.WriteScope.NONE: -1, Role.Scope.OWN: 0, Role.Scope.SUBTREE: 1, Role.Scope.ALL: 2}


@dataclass(frozen=True)
class Scope:
    kind: str  # one of Role.Scope
    viewer_id: int
    node_paths: tuple[str, ...] = ()  # roots of the subtrees, for kind or write_kind "subtree"
    may_see_personal_data: bool = False
    write_kind: str = Role.WriteScope.NONE  # one of Role.WriteScope; never wider than kind

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
    roles = list(viewer.roles.values("scope", "write_scope", "may_see_personal_data"))
    kind = max((role["scope"] for role in roles), key=_WIDTH.__getitem__, default=Role.Scope.OWN)
    # Each role writes at most what it reads (an admin's careless edit cannot widen it).
    write_kind = max(
        (min(role["scope"], role["write_scope"], key=_WIDTH.__getitem__) for role in roles),
        key=_WIDTH.__getitem__,
        default=Role.WriteScope.NONE,
    )
    if viewer.is_superuser:  # e.g. made by `amdesk createsuperuser`, before any role is given
        kind = write_kind = Role.Scope.ALL
    paths: tuple[str, ...] = ()
    if Role.Scope.SUBTREE in (kind, write_kind):
        led = list(OrgNode.objects.filter(leader=viewer, is_active=True).values_list("path", flat=True))
        if not led and viewer.org_node_id:
            led = [OrgNode.objects.values_list("path", flat=True).get(pk=viewer.org_node_id)]
        paths = _outermost(led)
    scope = Scope(
        kind=kind,
        viewer_id=viewer.pk,
        node_paths=paths,
        may_see_personal_data=any(role["may_see_personal_data"] for role in roles),
        write_kind=write_kind,
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


def _kind_q(scope: Scope, kind: str, own: Q, node_prefix: str) -> Q:
    if kind == Role.Scope.ALL:
        return Q()
    if kind == Role.WriteScope.NONE:
        return Q(pk__in=[])
    if kind == Role.Scope.SUBTREE:
        return own | scope.node_q(node_prefix)
    return own


def records_q(
    viewer, *, owner_field: str = "owner", node_field: str = "org_node", for_write: bool = False
) -> Q:
    """The condition for records with an owner and an org node (clients, visits, tickets…):
    those the viewer sees, or with for_write=True those he may change."""
    scope = scope_of(viewer)
    kind = scope.write_kind if for_write else scope.kind
    return _kind_q(scope, kind, Q(**{f"{owner_field}_id": scope.viewer_id}), f"{node_field}__")


def staff_q(viewer, *, for_write: bool = False) -> Q:
    """Which staff the viewer sees (himself; those under his led nodes; everyone for admins), or with
    for_write=True whose records he may change (e.g. whom he may give a client to)."""
    scope = scope_of(viewer)
    kind = scope.write_kind if for_write else scope.kind
    return _kind_q(scope, kind, Q(pk=scope.viewer_id), "org_node__")


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


def client_q(viewer, *, for_write: bool = False) -> Q:
    return records_q(viewer, owner_field="owner", node_field="org_node", for_write=for_write)


def access_client(viewer, client_id, *, for_write: bool = False):
    """One client the viewer may see; "not found" for both missing and forbidden.

    for_write=True: also one he may change (his contacts, holdings, AUM, ratings, attachments…);
    a client he sees but may not change raises PermissionDenied, which says no more than he knows."""
    from amdesk.clients.models import Client

    client = Client.objects.filter(client_q(viewer), pk=client_id).select_related("owner", "org_node").first()
    if client is None:
        raise Http404("No such client.")
    if for_write:
        ensure_writable(viewer, Client.objects.filter(pk=client.pk))
    return client


def check_client_write(actor, client) -> None:
    """For client services: the actor may change this client (PermissionDenied otherwise).
    actor=None is the system itself (demo builder, scheduled jobs), never a request."""
    from amdesk.clients.models import Client

    if actor is not None:
        ensure_writable(actor, Client.objects.filter(pk=client.pk))


def may_act_on_client(actor, client_id, *, permission: str = "") -> bool:
    """Whether the actor may record something on this client (a visit, a ticket, an inspection…): he
    changes the client's records, or his role holds `permission` (data: the presets give e.g. the
    risk manager "visits.add_loaninspection") and he sees the client."""
    from amdesk.clients.models import Client

    if Client.objects.filter(client_q(actor, for_write=True), pk=client_id).exists():
        return True
    if permission and actor.has_perm(permission):
        return Client.objects.filter(client_q(actor), pk=client_id).exists()
    return False


def may_write(
    viewer, queryset: QuerySet, *, owner_field: str = "owner", node_field: str = "org_node"
) -> bool:
    """Whether every record of `queryset` (usually one) is within the viewer's write scope."""
    scope = scope_of(viewer)
    if scope.write_kind == Role.Scope.ALL:
        return True
    if scope.write_kind == Role.WriteScope.NONE:
        return False
    allowed = records_q(viewer, owner_field=owner_field, node_field=node_field, for_write=True)
    return not queryset.exclude(allowed).exists()


def ensure_writable(
    viewer, queryset: QuerySet, *, owner_field: str = "owner", node_field: str = "org_node"
) -> None:
    if not may_write(viewer, queryset, owner_field=owner_field, node_field=node_field):
        raise PermissionDenied(read_only_message(viewer))


def read_only_message(viewer) -> str:
    if scope_of(viewer).write_kind == Role.WriteScope.NONE:
        return _("Your role may read these records but not change them.")
    return _("This record is outside the records you may change.")


def may_write_any(viewer) -> bool:
    """Whether the viewer changes any client records at all (e.g. adds clients)."""
    return scope_of(viewer).write_kind != Role.WriteScope.NONE


def may_hand_over(viewer) -> bool:
    """Handing clients between account managers, reviewing their plans and logs, closing findings: for
    those who may change records of others (supervisors, heads, the system admin)."""
    return scope_of(viewer).write_kind in (Role.Scope.SUBTREE, Role.Scope.ALL)


def oversees(viewer) -> bool:
    """Whether the viewer sees others' records (team lists and figures), whether or not he changes them."""
    return scope_of(viewer).kind != Role.Scope.OWN
