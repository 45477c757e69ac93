"""Recording audit entries: the one service every capability calls."""

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .audit_events import AuditEvent, AuditResult
from .models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address; behind N trusted proxies, the Nth address from the right of X-Forwarded-For."""
    if request is None:
        return None
    proxies = settings.AMDESK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    event: AuditEvent | str,
    actor=None,
    request: HttpRequest | None = None,
    result: AuditResult | str = AuditResult.SUCCESS,
    target: models.Model | None = None,
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is who acted (None for an anonymous failed login, then `username`).
    `event` must be a member of the registry (a typo would otherwise be stored silently)."""
    event = AuditEvent(event)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    else:
        target_type = target_id = target_repr = ""
    return AuditEntry.objects.create(
        event=event,
        result=result,
        actor=actor,
        username=(actor.get_username() if actor is not None else username)[:150],
        ip=client_ip(request),
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        detail=detail or {},
    )
