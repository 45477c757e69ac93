"""Who may run the appraisal: the appraisal admin (and the system admin), and who signs a team off."""

from django.core.exceptions import PermissionDenied
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


def may_sign_off(actor, node) -> bool:
    """The team's supervisor or head: he leads the node, or his scope of led nodes covers it."""
    if actor is None or node is None:
        return False
    if node.leader_id == actor.pk:
        return True
    scope = scope_of(actor)
    if scope.kind != Role.Scope.SUBTREE:
        return False
    return any(node.path.startswith(path) for path in scope.node_paths if path)
