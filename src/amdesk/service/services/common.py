"""Pieces the ticket services share: the stale-version error, who an actor is to a ticket, signatures."""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amdesk.orgs.access import records_q, scope_of
from amdesk.orgs.models import Role

from ..models import ServiceSettings, Ticket
from ..workflow import DESK, DESK_ROLES, OVERSEER, OVERSEER_ROLES, OWNER

PNG_PREFIX = "data:image/png;base64,"


class StaleTicket(Exception):
    """Someone changed the ticket after this page was opened."""


def stale() -> StaleTicket:
    return StaleTicket(_("Someone changed this ticket after you opened it. Reload to see their changes."))


def may_see(actor, ticket: Ticket) -> bool:
    return Ticket.objects.filter(
        records_q(actor, owner_field="owner", node_field="org_node"), pk=ticket.pk
    ).exists()


def capacities(actor, ticket: Ticket) -> frozenset[str]:
    """What the actor is to this ticket: OWNER, DESK, OVERSEER (none when he cannot see it)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    if not may_see(actor, ticket):
        return frozenset()
    found = set()
    if ticket.owner_id == actor.pk:
        found.add(OWNER)
    codes = set(actor.roles.values_list("code", flat=True))
    if codes & set(DESK_ROLES):
        found.add(DESK)
    overseer = bool(codes & set(OVERSEER_ROLES)) or actor.is_superuser
    if overseer and ticket.owner_id != actor.pk and scope_of(actor).kind != Role.Scope.OWN:
        found.add(OVERSEER)
    return frozenset(found)


def check_signature(
    data_url: str, settings: ServiceSettings | None = None, *, field: str = "signature"
) -> str:
    """Accept a PNG drawn on the screen, as a data URL, within the size limit.

    The same check as visits.services.records._signature (copied: that module is the visit app's)."""
    settings = settings or ServiceSettings.current()
    if not data_url.startswith(PNG_PREFIX):
        raise ValidationError({field: [_("The signature must be a PNG image drawn on the screen.")]})
    payload = data_url[len(PNG_PREFIX) :]
    limit = settings.signature_max_kb * 1024
    if len(payload) > (limit + 2) // 3 * 4:  # refused before decoding: base64 takes 4 chars per 3 bytes
        raise ValidationError({field: [_("The signature image is too large.")]})
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        damaged = _("The signature image is damaged; ask the client to sign again.")
        raise ValidationError({field: [damaged]}) from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({field: [_("The signature must be a PNG image drawn on the screen.")]})
    if len(raw) > limit:
        raise ValidationError({field: [_("The signature image is too large.")]})
    return data_url


__all__ = ["DESK", "OVERSEER", "OWNER", "StaleTicket", "capacities", "check_signature", "may_see", "stale"]
