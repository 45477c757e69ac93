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


def score_of(value) -> int:
    """A score 1–5 from a form or JSON value; ValidationError otherwise."""
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"satisfaction": [_("Give a score from 1 to 5.")]})
    return score


_score = score_of  # the old private name


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
        ticket,
        score_of(score),
        comment=comment,
        actor=actor,
        via=Ticket.RatedVia.STAFF,
        request=request,
        at=at,
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


def _revoke_links(ticket: Ticket, now) -> int:
    """End the links of the ticket that are unused and still valid (they expire now); how many."""
    return RatingLink.objects.filter(ticket=ticket, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )


@transaction.atomic
def ticket_rating_link_issue(*, actor, ticket: Ticket, request=None) -> tuple[str, RatingLink]:
    """A new one-time link for the client; returns the raw token (shown once, never stored) and the row.

    Only the newest link works: issuing one ends the earlier unused links of the ticket (a link
    sent twice, or to the wrong number, cannot be used any more). The public URL is the UI's
    (e.g. /service/rate/<token>/); rating_link_qr_svg draws it as a QR code."""
    if not capacities(actor, ticket):
        raise PermissionDenied(_("You may not send a rating link for this ticket."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _ratable(ticket)
    settings = ServiceSettings.current()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    revoked = _revoke_links(ticket, now)
    link = RatingLink.objects.create(
        ticket=ticket,
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=settings.rating_link_hours),
    )
    detail = {"expires_at": link.expires_at.isoformat(), "revoked": revoked}
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=now,
        action="rating_link",
        from_state=ticket.state,
        to_state=ticket.state,
        data=detail,
    )
    # No audit event of its own (that would need a core migration): a change of the ticket.
    audit_record(
        event=AuditEvent.TICKET_CHANGED,
        actor=actor,
        request=request,
        target=ticket,
        detail={"rating_link": "issued", "link": link.pk, **detail},
    )
    return token, link


def rating_link_qr_svg(url: str) -> str:
    """The rating link as a QR code for the client's phone: inline SVG markup (safe to render),
    drawn here with segno (no script, no outside service), sized by the stylesheet."""
    import segno
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    code = segno.make(url, error="m")
    size = code.symbol_size(scale=4, border=2)[0]
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff")
    label = escape(_("QR code of the rating link"))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" viewBox="0 0 {size} {size}" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno writes only numbers and one path


def rating_archive(ticket: Ticket, *, now) -> dict:
    """On reopening: the rating was for the handling being reopened. Clear it from `ticket` (not
    saved) and return it for the event's history; end the links still out. {} when not rated."""
    _revoke_links(ticket, now)
    if ticket.satisfaction is None:
        return {}
    archived = {
        "satisfaction": ticket.satisfaction,
        "comment": ticket.rating_comment,
        "via": ticket.rated_via,
        "by": ticket.rated_by_id,
        "at": ticket.rated_at.isoformat() if ticket.rated_at else None,
    }
    ticket.satisfaction, ticket.rating_comment, ticket.rated_via = None, "", ""
    ticket.rated_by, ticket.rated_at = None, None
    return archived


def rating_link_check(token: str, *, for_update: bool = False) -> RatingLink:
    """The link of this token if it may still be used; RatingLinkInvalid otherwise.

    A link rates a resolved ticket: one reopened since (back in handling) no longer takes it."""
    links = RatingLink.objects.select_related("ticket", "ticket__client")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=token_hash(token or "")).first()
    if link is None:
        raise RatingLinkInvalid("unknown")
    if link.used_at is not None or link.ticket.satisfaction is not None:
        raise RatingLinkInvalid("used")
    if timezone.now() >= link.expires_at or link.ticket.state not in DONE_STATES:
        raise RatingLinkInvalid("expired")
    return link


@transaction.atomic
def ticket_rate_by_token(*, token: str, score, comment: str = "", request=None) -> Ticket:
    """The client rates on the public page: the link is used up whatever happens next."""
    link = rating_link_check(token, for_update=True)
    score = score_of(score)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    ticket = Ticket.objects.select_for_update().get(pk=link.ticket_id)
    if ticket.satisfaction is not None:
        raise RatingLinkInvalid("used")
    if ticket.state not in DONE_STATES:  # reopened meanwhile
        raise RatingLinkInvalid("expired")
    return _record(ticket, score, comment=comment, actor=None, via=Ticket.RatedVia.LINK, request=request)
