"""Service tickets waiting for the viewer's decision: awaiting approval, in his scope, not his own
(service.selectors.pages.approvals_waiting: approval needs a second person, and only the roles
that oversee tickets approve)."""

from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import records_q, scope_of
from amdesk.orgs.models import Role
from amdesk.service.models import Ticket, TicketState
from amdesk.service.workflow import OVERSEER_ROLES

from .common import count_and_first
from .registry import Item, source


def _approves(viewer) -> bool:
    if scope_of(viewer).kind == Role.Scope.OWN:
        return False
    return viewer.is_superuser or bool(OVERSEER_ROLES and set(OVERSEER_ROLES) & viewer.role_codes)


@source("tickets_to_approve", _("Service tickets to approve"), group="approvals")
def tickets_to_approve(viewer, today, limit):
    if not _approves(viewer):
        return 0, []
    tickets = (
        Ticket.objects.filter(records_q(viewer), state=TicketState.AWAITING_APPROVAL)
        .exclude(owner_id=viewer.pk)
        .select_related("owner")
        .only("id", "number", "subject", "resolution_due", "owner__full_name", "owner__username")
        .order_by("resolution_due", "id")
    )
    return count_and_first(
        tickets,
        limit,
        lambda t: Item(
            title=f"{t.number} {t.subject}",
            url=t.get_absolute_url(),
            due=t.resolution_due,
            who=t.owner.get_full_name(),
        ),
    )
