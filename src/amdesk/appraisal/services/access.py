"""Who may run the appraisal: the appraisal admin (and the system admin), and who signs a team off."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from amdesk.orgs.access import scope_of
from amdesk.orgs.models import Role

ADMIN_ROLES = frozenset({"appraisal_admin", "system_admin"})


def is_appraisal_admin(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(ADMIN_ROLES & user.role_codes)


def require_appraisal_admin(actor) -> None:
    # actor=None is the system itself (demo builder, scheduled jobs), never a request.
    if actor is not None and not is_appraisal_admin(actor):
        raise PermissionDenied(_("Only the appraisal administrator may do this."))


def leads_people(viewer) -> bool:
    """A supervisor or head: his role changes the records of the people under his nodes (write scope
    "subtree"). A role that only reads a subtree (product or risk manager, service desk) sees its
    colleagues' clients, not their appraisal."""
    return scope_of(viewer).write_kind == Role.Scope.SUBTREE


def led_cards_q(viewer) -> Q:
    """Score cards (or any rows with `staff` and `org_node`) the viewer may see: the appraisal admin
    all; a supervisor or head his own and those of the teams under his nodes; anyone else his own."""
    if is_appraisal_admin(viewer):
        return Q()
    scope = scope_of(viewer)
    own = Q(staff_id=scope.viewer_id)
    if not leads_people(viewer):
        return own
    return own | scope.node_q("org_node__")


def led_staff_q(viewer) -> Q:
    """Staff whose appraisal data (pay components, ladder proposals, manual values, training
    credits) the viewer may read: as led_cards_q, on the staff table."""
    if is_appraisal_admin(viewer):
        return Q()
    scope = scope_of(viewer)
    own = Q(pk=scope.viewer_id)
    if not leads_people(viewer):
        return own
    return own | scope.node_q("org_node__")


def may_sign_off(actor, node) -> bool:
    """The team's supervisor or head: he leads the node, or his scope of led nodes covers it."""
    if actor is None or node is None or not actor.is_authenticated:
        return False
    if node.leader_id == actor.pk:
        return True
    if not leads_people(actor):
        return False
    return any(node.path.startswith(path) for path in scope_of(actor).node_paths if path)
