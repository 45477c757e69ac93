"""Opening and editing a ticket, and the client's signatures on the quality feedback form."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import may_act_on_client

from ..models import ServiceSettings, Ticket, TicketEvent, TicketSequence, TicketType
from .common import DESK, OVERSEER, capacities, check_signature, stale
from .sla import DEADLINE_FIELDS, sla_apply

# What ticket_open takes from `data`.
OPEN_FIELDS = [
    "ticket_type",
    "channel",
    "priority",
    "subject",
    "description",
    "product_line",
    "received_at",
]
# What ticket_update may change while the ticket is open (type/priority recompute the deadlines).
EDIT_FIELDS = [
    "ticket_type",
    "channel",
    "priority",
    "subject",
    "description",
    "product_line",
    "inspection_notes",
    "cause",
    "remedy",
    "remedy_detail",
    "replacement_handed_at",
]
COMPLAINT_TYPES = (TicketType.COMPLAINT, TicketType.QUALITY)
# They move the deadlines: for the service desk and overseers only, never for the owner alone.
SLA_KEYS = ("ticket_type", "priority")
# The proposal the supervisor decides on, and what the client signed on the feedback form.
REMEDY_FIELDS = ("remedy", "remedy_detail")
FORM_FIELDS = ("inspection_notes", "cause")


def _next_number(year: int) -> str:
    TicketSequence.objects.get_or_create(year=year)
    sequence = TicketSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"TS-{year}-{sequence.last:06d}"


def find_repeat_of(ticket: Ticket, settings: ServiceSettings) -> Ticket | None:
    """The same client's latest earlier complaint within the repeat window, for complaints."""
    if ticket.ticket_type not in COMPLAINT_TYPES:
        return None
    since = ticket.received_at - timedelta(days=settings.repeat_window_days)
    earlier = Ticket.objects.filter(
        client_id=ticket.client_id,
        ticket_type__in=COMPLAINT_TYPES,
        received_at__gte=since,
        received_at__lte=ticket.received_at,
    )
    if ticket.pk:
        earlier = earlier.exclude(pk=ticket.pk)
    return earlier.order_by("-received_at", "-id").first()


@transaction.atomic
def ticket_open(*, actor, client: Client, data: dict, visit=None, request=None, at=None) -> Ticket:
    """Open a ticket for a client the actor may see; its owner is the client's owner, its SLA
    deadlines come from the policy of its type and priority. `visit` (optional) is the visit
    record it was raised from: same client, channel "visit". `at` (default now): when it was
    recorded, for the demo builder only."""
    # The client's own people (write scope), or a role holding the permission (the service desk's,
    # by preset) for any client it sees.
    if not may_act_on_client(actor, client.pk, permission="service.add_ticket"):
        raise PermissionDenied(_("This client is not in your scope."))
    now = at or timezone.now()
    ticket = Ticket(
        client=client,
        owner_id=client.owner_id,
        org_node_id=client.org_node_id,
        opened_by=actor,
        received_at=now,
        created_at=now,
        updated_at=now,
    )
    for name in OPEN_FIELDS:
        if name in data and data[name] not in (None, ""):
            setattr(ticket, name, data[name])
    if visit is not None:
        if visit.client_id != client.pk:
            raise ValidationError({"visit": [_("This visit was made to another client.")]})
        ticket.visit = visit
        ticket.channel = ticket.channel or Ticket.Channel.VISIT
    if ticket.received_at > now + timedelta(minutes=5):
        raise ValidationError({"received_at": [_("A ticket is received now or in the past.")]})
    settings = ServiceSettings.current()
    if ticket.received_at < now - timedelta(days=settings.backdate_max_days):
        raise ValidationError(
            {
                "received_at": [
                    _("A ticket may be recorded at most %(days)s days after it was received.")
                    % {"days": settings.backdate_max_days}
                ]
            }
        )
    ticket.resolution_clock_from = ticket.received_at
    sla_apply(ticket)
    ticket.number = "pending"
    ticket.full_clean(exclude=["number", "visit"])
    ticket.number = _next_number(timezone.localtime(ticket.received_at).year)
    ticket.repeat_of = find_repeat_of(ticket, settings)
    ticket.save()
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action="open",
        to_state=ticket.state,
        note="",
        data={"repeat_of": ticket.repeat_of_id} if ticket.repeat_of_id else {},
    )
    audit_record(
        event=AuditEvent.TICKET_OPENED,
        actor=actor,
        request=request,
        target=ticket,
        detail={"client": client.pk, "type": ticket.ticket_type, "repeat_of": ticket.repeat_of_id},
    )
    return ticket


def locked_fields(ticket: Ticket) -> dict[str, str]:
    """The facts that may no longer change, each with the reason (for forms to show them read-only):
    the remedy once proposed to or approved by the supervisor, the inspection notes and the cause
    once the client signed the feedback form."""
    locked = {}
    if ticket.approval == Ticket.Approval.APPROVED or ticket.state == Ticket.State.AWAITING_APPROVAL:
        reason = _(
            "The remedy was put to the supervisor and can no longer be changed; "
            "propose a new one for a new decision."
        )
        locked.update(dict.fromkeys(REMEDY_FIELDS, reason))
    if ticket.form_signed:
        reason = _("The client signed the feedback form: what it says can no longer be changed.")
        locked.update(dict.fromkeys(FORM_FIELDS, reason))
    return locked


def _check_changes(actor, ticket: Ticket, changed: list[str]) -> None:
    if set(SLA_KEYS) & set(changed) and not capacities(actor, ticket) & {DESK, OVERSEER}:
        raise PermissionDenied(
            _("Only the service desk or a supervisor may change the type or the priority.")
        )
    locked = locked_fields(ticket)
    errors = {name: [locked[name]] for name in changed if name in locked}
    if errors:
        raise ValidationError(errors)


def _pair(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def ticket_update(*, actor, ticket: Ticket, data: dict, version: int, request=None, at=None) -> Ticket:
    """Change the facts of an open ticket (owner, desk or overseer); a stale version raises StaleTicket.

    The type and the priority are changed by the service desk or an overseer only; they recompute
    the deadlines still running (one already passed or met stays: a breach is never erased), and
    the event records old → new. See locked_fields for what may no longer change. `at` (default
    now): when the change was made, for the demo builder's history only."""
    if not capacities(actor, ticket):
        raise PermissionDenied(_("You may not change this ticket."))
    if not ticket.is_open:
        raise ValidationError(_("A resolved or closed ticket is no longer changed; reopen it first."))
    changed = [name for name in EDIT_FIELDS if name in data and getattr(ticket, name) != data[name]]
    if not changed:
        if ticket.version != version:
            raise stale()
        return ticket
    _check_changes(actor, ticket, changed)
    now = at or timezone.now()
    changes = {name: [getattr(ticket, name), data[name]] for name in changed if name in SLA_KEYS}
    for name in changed:
        setattr(ticket, name, data[name])
    fields = list(changed)
    if changes:
        before = {name: getattr(ticket, name) for name in DEADLINE_FIELDS}
        sla_apply(ticket, now=now)
        fields += DEADLINE_FIELDS
        changes.update(
            {
                name: [_pair(before[name]), _pair(getattr(ticket, name))]
                for name in DEADLINE_FIELDS
                if before[name] != getattr(ticket, name)
            }
        )
    ticket.full_clean(exclude=["visit", "repeat_of"])
    ticket.updated_at = now
    fields.append("updated_at")
    values = {name: getattr(ticket, name) for name in fields}
    if "product_line" in values:
        values["product_line_id"] = values.pop("product_line").pk if values["product_line"] else None
    updated = Ticket.objects.filter(pk=ticket.pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise stale()
    ticket.refresh_from_db()
    detail = {"fields": changed, **({"changes": changes} if changes else {})}
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action="update",
        from_state=ticket.state,
        to_state=ticket.state,
        data=detail,
    )
    audit_record(
        event=AuditEvent.TICKET_CHANGED,
        actor=actor,
        request=request,
        target=ticket,
        detail=detail,
    )
    return ticket


@transaction.atomic
def ticket_sign(
    *, actor, ticket: Ticket, which: str, signature: str, signer_name: str = "", request=None, at=None
) -> Ticket:
    """The client signs the quality feedback form (`which="form"`) or the receipt of the replacement
    goods (`which="receipt"`) on the owner's screen. Each is signed once. The receipt needs an
    approved replacement; signing it records the hand-over time when none was entered."""
    if which not in ("form", "receipt"):
        raise ValueError(which)
    if not capacities(actor, ticket):
        raise PermissionDenied(_("You may not collect signatures on this ticket."))
    if not ticket.is_open:
        raise ValidationError(_("A resolved or closed ticket is no longer signed."))
    field = f"{which}_signature"
    data = check_signature(signature, field=field)
    now = at or timezone.now()
    values = {
        field: data,
        f"{which}_signed_at": now,
        f"{which}_signer_name": signer_name.strip()[:50],
        "version": F("version") + 1,
        "updated_at": now,
    }
    if which == "form" and not (ticket.inspection_notes.strip() and ticket.cause.strip()):
        # The client signs what was found: the form is frozen once signed (locked_fields).
        raise ValidationError(
            {field: [_("Record the inspection notes and the cause before the client signs the form.")]}
        )
    if which == "receipt":
        if not (ticket.remedy == Ticket.Remedy.REPLACEMENT and ticket.approval == Ticket.Approval.APPROVED):
            raise ValidationError(
                {field: [_("The receipt is signed once the supervisor approved a replacement.")]}
            )
        if ticket.replacement_handed_at is None:
            values["replacement_handed_at"] = now
    updated = Ticket.objects.filter(pk=ticket.pk, **{f"{which}_signed_at__isnull": True}).update(**values)
    if not updated:
        raise ValidationError({field: [_("This is already signed.")]})
    ticket.refresh_from_db()
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action=f"sign_{which}",
        from_state=ticket.state,
        to_state=ticket.state,
        data={"signer_name": ticket.form_signer_name if which == "form" else ticket.receipt_signer_name},
    )
    audit_record(
        event=AuditEvent.TICKET_SIGNED, actor=actor, request=request, target=ticket, detail={"which": which}
    )
    return ticket
