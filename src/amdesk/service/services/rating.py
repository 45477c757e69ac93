"""The client's satisfaction with the handling (1–5): recorded by staff, or by the client on a
one-time link (only the token's sha256 is stored; it expires and works once)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import DONE_STATES, RatingLink, ServiceSettings, Ticket, TicketEvent
from .common import capacities


class RatingLinkInvalid(Exception):
    """The link is unknown, used or expired; `reason` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str):
        self.reason = reason
        messages = {
            "unknown": _("This link is not valid."),
            "used": _("This link has already been used. Thank you for your rating."),
            "expired": _("This link has expired."),
        }
        super().__init__(messages.get(reason, messages["unknown"]))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _score(value) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"satisfaction": [_("Give a score from 1 to 5.")]})
    return score


def _ratable(ticket: Ticket) -> None:
    if ticket.state not in DONE_STATES:
        raise ValidationError({"satisfaction": [_("The handling is rated once the ticket is resolved.")]})
    if ticket.satisfaction is not None:
        raise ValidationError({"satisfaction": [_("This ticket has already been rated.")]})


@transaction.atomic
def ticket_rate(*, actor, ticket: Ticket, score, comment: str = "", request=None, at=None) -> Ticket:
    """Staff (owner, desk, overseer) record the score the client gave, once, after resolution."""
    if not capacities(actor, ticket):
        raise PermissionDenied(_("You may not rate this ticket."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _ratable(ticket)
    return _record(
        ticket, _score(score), comment=comment, actor=actor, via=Ticket.RatedVia.STAFF, request=request, at=at
    )


def _record(ticket: Ticket, score: int, *, comment: str, actor, via: str, request, at=None) -> Ticket:
    now = at or timezone.now()
    ticket.satisfaction, ticket.rated_via, ticket.rated_by, ticket.rated_at = score, via, actor, now
    ticket.rating_comment = (comment or "").strip()[:500]
    ticket.updated_at = now
    ticket.version += 1
    ticket.save(
        update_fields=[
            "satisfaction",
            "rating_comment",
            "rated_via",
            "rated_by",
            "rated_at",
            "updated_at",
            "version",
        ]
    )
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action="rate",
        from_state=ticket.state,
        to_state=ticket.state,
        data={"satisfaction": score, "via": via},
    )
    audit_record(
        event=AuditEvent.TICKET_RATED,
        actor=actor,
        request=request,
        target=ticket,
        detail={"score": score, "via": via},
    )
    return ticket


@transaction.atomic
def ticket_rating_link_issue(*, actor, ticket: Ticket, request=None) -> tuple[str, RatingLink]:
    """A new one-time link for the client; returns the raw token (shown once, never stored) and the row.

    The public URL is the UI's (e.g. /service/rate/<token>/)."""
    if not capacities(actor, ticket):
        raise PermissionDenied(_("You may not send a rating link for this ticket."))
    _ratable(ticket)
    settings = ServiceSettings.current()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = RatingLink.objects.create(
        ticket=ticket,
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=settings.rating_link_hours),
    )
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action="rating_link",
        from_state=ticket.state,
        to_state=ticket.state,
        data={"expires_at": link.expires_at.isoformat()},
    )
    return token, link


def rating_link_check(token: str, *, for_update: bool = False) -> RatingLink:
    """The link of this token if it may still be used; RatingLinkInvalid otherwise."""
    links = RatingLink.objects.select_related("ticket", "ticket__client")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=token_hash(token or "")).first()
    if link is None:
        raise RatingLinkInvalid("unknown")
    if link.used_at is not None or link.ticket.satisfaction is not None:
        raise RatingLinkInvalid("used")
    if timezone.now() >= link.expires_at:
        raise RatingLinkInvalid("expired")
    return link


@transaction.atomic
def ticket_rate_by_token(*, token: str, score, comment: str = "", request=None) -> Ticket:
    """The client rates on the public page: the link is used up whatever happens next."""
    link = rating_link_check(token, for_update=True)
    score = _score(score)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    ticket = Ticket.objects.select_for_update().get(pk=link.ticket_id)
    if ticket.satisfaction is not None:
        raise RatingLinkInvalid("used")
    return _record(ticket, score, comment=comment, actor=None, via=Ticket.RatedVia.LINK, request=request)
