"""Who may be made responsible for a ticket, and tickets following their clients at a handover."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import staff_q
from amdesk.orgs.models import Staff

from ..models import OPEN_STATES, Ticket, TicketEvent


def ticket_owner_candidates(actor) -> QuerySet:
    """The staff a ticket may be reassigned to by `actor`: active account managers in his scope.
    (The reassign form's choices and the transition's check are this one list.)"""
    return (
        Staff.objects.filter(
            staff_q(actor), roles__code="account_manager", status=Staff.Status.ACTIVE, is_active=True
        )
        .distinct()
        .order_by("employee_no")
    )


def ticket_owner_for(actor, owner_id) -> Staff:
    """The candidate of this id (an int, or a string of digits from a form); ValidationError for
    anything else, so a bad id is a refusal and never a server error."""
    if isinstance(owner_id, Staff):
        owner_id = owner_id.pk
    if isinstance(owner_id, str) and owner_id.strip().isdigit():
        owner_id = int(owner_id.strip())
    new_owner = None
    if isinstance(owner_id, int) and not isinstance(owner_id, bool) and 0 < owner_id < 2**63:
        new_owner = ticket_owner_candidates(actor).filter(pk=owner_id).first()
    if new_owner is None:
        raise ValidationError({"owner": [_("Choose an active account manager you oversee.")]})
    return new_owner


@transaction.atomic
def tickets_follow_clients(*, actor, client_ids, to_staff: Staff, request=None) -> int:
    """The open tickets of clients just handed over go to their new owner (and the owner's node,
    so his supervisor sees them); returns how many moved. Set-based: one UPDATE, one INSERT of
    events, one audit entry whatever the number.

    Each ticket gets its own "reassign" event (its history shows who it was moved from and why);
    the audit log gets one summary entry naming every ticket and its previous owner: the decision
    audited is the client handover (already one entry per client), the tickets only follow it."""
    moving = list(
        Ticket.objects.select_for_update()
        .filter(client_id__in=list(client_ids), state__in=OPEN_STATES)
        .exclude(owner=to_staff)
        .values_list("pk", "owner_id", "state")
    )
    if not moving:
        return 0
    now = timezone.now()
    Ticket.objects.filter(pk__in=[pk for pk, _owner, _state in moving]).update(
        owner=to_staff, org_node=to_staff.org_node_id, version=F("version") + 1, updated_at=now
    )
    note = _("The client was handed over to %(name)s.") % {"name": to_staff.full_name or to_staff}
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket_id=pk,
            actor=actor,
            at=now,
            action="reassign",
            from_state=state,
            to_state=state,
            note=note,
            data={"previous_owner": owner_id, "owner": to_staff.pk, "via": "client_handover"},
        )
        for pk, owner_id, state in moving
    )
    audit_record(
        event=AuditEvent.TICKET_TRANSITIONED,
        actor=actor,
        request=request,
        detail={
            "action": "reassign",
            "via": "client_handover",
            "owner": to_staff.pk,
            "tickets": {str(pk): owner_id for pk, owner_id, _state in moving},
        },
    )
    return len(moving)
