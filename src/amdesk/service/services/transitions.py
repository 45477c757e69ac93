"""Moving a ticket through its workflow (workflow.ACTIONS): the one transition service."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import ServiceSettings, Ticket, TicketEvent, TicketState
from ..workflow import ACTIONS, BACK, Action
from .common import capacities, stale
from .handover import ticket_owner_for
from .rating import rating_archive, score_of
from .sla import sla_apply, sla_pause_end
from .tickets import COMPLAINT_TYPES, locked_fields

SLA_FIELDS = [
    "first_feedback_due",
    "first_feedback_warn_at",
    "resolution_due",
    "resolution_warn_at",
    "resolution_clock_from",
]


def available_actions(actor, ticket: Ticket, *, now=None) -> list[Action]:
    """The actions this actor may take on the ticket now (in workflow order), for buttons and the API.

    Checks state and who; not the data an action needs (the form asks for it)."""
    caps = capacities(actor, ticket)
    if not caps:
        return []
    now = now or timezone.now()
    found = []
    for action in ACTIONS.values():
        if ticket.state not in action.sources or not (caps & action.actors):
            continue
        if action.code == "reopen" and not _reopen_open(ticket, now):
            continue
        if action.code == "approve" and last_requester_id(ticket) == actor.pk:
            continue
        found.append(action)
    return found


def last_requester_id(ticket: Ticket) -> int | None:
    """Who put the current proposal to the supervisor (the last request_approval step)."""
    return (
        TicketEvent.objects.filter(ticket=ticket, action="request_approval")
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def _reopen_open(ticket: Ticket, now, settings: ServiceSettings | None = None) -> bool:
    settings = settings or ServiceSettings.current()
    since = ticket.resolved_at or ticket.closed_at
    return since is not None and now <= since + timedelta(days=settings.reopen_window_days)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "0", "no", "off"):
        return False
    return None


def _apply(action: Action, ticket: Ticket, *, actor, note: str, data: dict, now) -> tuple[list[str], dict]:
    """Set the fields the action changes on `ticket` (not saved); returns (fields, event data)."""
    fields: list[str] = []
    detail: dict = {}
    code = action.code
    if code == "give_first_feedback":
        message = _text(data, "message")
        if not message:
            raise ValidationError({"message": [_("Say what the client was told.")]})
        ticket.first_feedback, ticket.first_feedback_at = message, now
        fields += ["first_feedback", "first_feedback_at"]
        detail["message"] = message
    elif code == "wait_for_client":
        ticket.paused_at, ticket.paused_from = now, ticket.state
        fields += ["paused_at", "paused_from"]
    elif code == "resume":
        paused_since = ticket.paused_at
        sla_pause_end(ticket, now)
        fields += [
            "paused_at",
            "paused_seconds",
            "first_feedback_paused_seconds",
            "resolution_paused_seconds",
        ]
        fields += SLA_FIELDS
        detail["paused_seconds"] = int((now - paused_since).total_seconds()) if paused_since else 0
    elif code == "request_approval":
        remedy = data.get("remedy") or Ticket.Remedy.NONE
        quality = ticket.ticket_type == Ticket.Type.QUALITY
        # A quality feedback form goes to the supervisor whatever is proposed (the paper form's
        # 主管审批意见): with compensation, replacement goods, or none (the handling alone).
        allowed = (Ticket.Remedy.COMPENSATION, Ticket.Remedy.REPLACEMENT)
        if remedy not in allowed and not (quality and remedy == Ticket.Remedy.NONE):
            raise ValidationError({"remedy": [_("Choose compensation or replacement.")]})
        detail_text = _text(data, "remedy_detail")
        if not detail_text:
            raise ValidationError({"remedy_detail": [_("Say what is proposed.")]})
        locked = locked_fields(ticket)
        for name in ("inspection_notes", "cause"):
            value = _text(data, name)
            if value and value != getattr(ticket, name).strip():
                if name in locked:
                    raise ValidationError({name: [locked[name]]})
                setattr(ticket, name, value)
                fields.append(name)
        if quality:
            errors = {}
            if not ticket.inspection_notes.strip():
                errors["inspection_notes"] = [_("Record what the on-site inspection found.")]
            if not ticket.cause.strip():
                errors["cause"] = [_("Record the cause.")]
            if not ticket.form_signed:
                errors["form_signature"] = [
                    _("The client signs the feedback form before it goes to the supervisor.")
                ]
            if errors:
                raise ValidationError(errors)
        ticket.remedy, ticket.remedy_detail = remedy, detail_text[:200]
        ticket.approval, ticket.approved_by, ticket.approved_at, ticket.approval_comment = "", None, None, ""
        fields += ["remedy", "remedy_detail", "approval", "approved_by", "approved_at", "approval_comment"]
        detail.update(remedy=remedy, remedy_detail=ticket.remedy_detail)
    elif code in ("approve", "reject"):
        if code == "approve" and last_requester_id(ticket) == actor.pk:
            raise PermissionDenied(_("The proposal is approved by someone other than the one who made it."))
        ticket.approval = Ticket.Approval.APPROVED if code == "approve" else Ticket.Approval.REJECTED
        ticket.approved_by, ticket.approved_at, ticket.approval_comment = actor, now, note[:300]
        fields += ["approval", "approved_by", "approved_at", "approval_comment"]
    elif code == "resolve":
        resolution = _text(data, "resolution")
        # Justified or not is a question for complaints and quality feedback only; a consultation
        # or a suggestion has no "valid complaint" (kept empty, and not counted by the KPIs).
        complaint = ticket.ticket_type in COMPLAINT_TYPES
        is_valid = _bool(data.get("is_valid")) if complaint else None
        errors = {}
        if not resolution:
            errors["resolution"] = [_("Say how it was resolved.")]
        if complaint and is_valid is None:
            errors["is_valid"] = [_("Say whether the complaint was justified.")]
        if ticket.ticket_type == Ticket.Type.QUALITY:
            # The paper form's order: inspection and cause, the client's signature, the
            # supervisor's approval of the handling; only then is it resolved.
            if not (ticket.inspection_notes.strip() and ticket.cause.strip() and ticket.form_signed):
                errors["form_signature"] = [
                    _("Record the inspection and the cause and have the client sign the form first.")
                ]
            elif ticket.approval != Ticket.Approval.APPROVED:
                errors["approval"] = [_("The supervisor approves the handling of a quality feedback first.")]
        if (
            ticket.remedy == Ticket.Remedy.REPLACEMENT
            and ticket.approval == Ticket.Approval.APPROVED
            and not ticket.receipt_signed
        ):
            errors["receipt_signature"] = [_("The client signs the receipt of the replacement goods first.")]
        if errors:
            raise ValidationError(errors)
        ticket.resolution, ticket.is_valid, ticket.resolved_at = resolution, is_valid, now
        fields += ["resolution", "is_valid", "resolved_at"]
        detail.update(is_valid=is_valid)
    elif code == "confirm":
        ticket.confirmed_at = now
        fields.append("confirmed_at")
    elif code == "close":
        if ticket.state == TicketState.RESOLVED and not note:
            raise ValidationError(
                {"note": [_("Say why the ticket is closed without the client's confirmation.")]}
            )
        score = data.get("satisfaction")
        if score not in (None, ""):
            score = score_of(score)
            # The row is locked so that a rating arriving through the link meanwhile is seen: a
            # ticket is rated once, and a rating is never overwritten. Without a score the existing
            # rating stays as it is.
            current = Ticket.objects.select_for_update().only("satisfaction").get(pk=ticket.pk)
            if current.satisfaction is not None:
                raise ValidationError({"satisfaction": [_("This ticket has already been rated.")]})
            ticket.satisfaction = score
            ticket.rated_via, ticket.rated_by, ticket.rated_at = Ticket.RatedVia.STAFF, actor, now
            fields += ["satisfaction", "rated_via", "rated_by", "rated_at"]
            detail["satisfaction"] = ticket.satisfaction
        ticket.closed_at = now
        fields.append("closed_at")
    elif code == "reopen":
        if not _reopen_open(ticket, now):
            raise ValidationError(_("The reopening window of this ticket has passed."))
        # What the ticket was before goes into the event: the old resolution and its deadline (a
        # missed one stays on record), and the rating, which was for the handling now reopened.
        detail["previous"] = {
            "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
            "resolution_due": ticket.resolution_due.isoformat(),
            "resolution": ticket.resolution,
        }
        rating = rating_archive(ticket, now=now)
        if rating:
            detail["previous_rating"] = rating
            fields += ["satisfaction", "rating_comment", "rated_via", "rated_by", "rated_at"]
        ticket.resolved_at = ticket.confirmed_at = ticket.closed_at = None
        ticket.resolution_clock_from, ticket.resolution_paused_seconds = now, 0
        ticket.resolution_due = None  # a new resolution deadline; the first feedback's stays
        sla_apply(ticket, now=now)
        fields += ["resolved_at", "confirmed_at", "closed_at", "resolution_paused_seconds", *SLA_FIELDS]
    elif code == "reassign":
        new_owner = ticket_owner_for(actor, data.get("owner"))
        if new_owner.pk == ticket.owner_id:
            raise ValidationError({"owner": [_("This account manager is already responsible.")]})
        detail.update(previous_owner=ticket.owner_id, owner=new_owner.pk)
        ticket.owner = new_owner
        fields.append("owner")
    return fields, detail


@transaction.atomic
def ticket_transition(
    *,
    actor,
    ticket: Ticket,
    action: str,
    version: int,
    note: str = "",
    data: dict | None = None,
    request=None,
    at=None,
) -> Ticket:
    """Take one workflow action. Raises ValidationError (unknown action, wrong state, missing data),
    PermissionDenied (not this actor's to take), StaleTicket (version is not the current one).
    Records a TicketEvent and audits TICKET_TRANSITIONED. `at` (default now) is when the step
    happened: for the demo builder's history only; pages and the API never pass it."""
    data = data or {}
    note = (note or "").strip()
    spec = ACTIONS.get(action)
    if spec is None:
        raise ValidationError({"action": [_("Unknown action.")]})
    caps = capacities(actor, ticket)
    if not caps & spec.actors:
        raise PermissionDenied(_("This step is not yours to take on this ticket."))
    if ticket.version != version:
        raise stale()
    if ticket.state not in spec.sources:
        raise ValidationError(
            {
                "action": [
                    _("This step is not possible while the ticket is “%(state)s”.")
                    % {"state": ticket.get_state_display()}
                ]
            }
        )
    if spec.note_required and not note:
        raise ValidationError({"note": [_("A note is required for this step.")]})
    now = at or timezone.now()
    from_state = ticket.state
    fields, detail = _apply(spec, ticket, actor=actor, note=note, data=data, now=now)
    if spec.target == BACK:
        to_state = ticket.paused_from or TicketState.INVESTIGATING
        ticket.paused_from = ""
        fields.append("paused_from")
    else:
        to_state = spec.target or from_state
    ticket.state = to_state
    ticket.updated_at = now
    fields += ["state", "updated_at"]
    values = {}
    for name in dict.fromkeys(fields):
        value = getattr(ticket, name)
        if name in ("owner", "approved_by", "rated_by"):
            name, value = f"{name}_id", (value.pk if value is not None else None)
        values[name] = value
    updated = Ticket.objects.filter(pk=ticket.pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise stale()
    ticket.refresh_from_db()
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=detail,
    )
    audit_record(
        event=AuditEvent.TICKET_TRANSITIONED,
        actor=actor,
        request=request,
        target=ticket,
        detail={"action": action, "from": from_state, "to": to_state, **detail},
    )
    if detail.get("satisfaction") is not None:
        audit_record(
            event=AuditEvent.TICKET_RATED,
            actor=actor,
            request=request,
            target=ticket,
            detail={"score": ticket.satisfaction, "via": Ticket.RatedVia.STAFF},
        )
    return ticket
