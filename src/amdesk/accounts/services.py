"""Writes of the sign-in capability: API tokens issued and revoked, locked accounts unlocked."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import PREFIX_LENGTH, ApiToken

# How often the "last used" time is written: not on every request of a busy script.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(key: str) -> str:
    # A plain SHA-256 is enough: the key is 256 random bits, so there is nothing to guess slowly.
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_find(key: str) -> ApiToken | None:
    """The token whose clear key this is, expired or not; None for anything else."""
    if not key or len(key) > 100:
        return None
    digest = _digest(key)
    for token in ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).select_related("user"):
        if hmac.compare_digest(token.digest, digest):
            return token
    return None


def api_token_touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_token_issue(*, user, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for `user` and its clear key, which is returned here once and stored nowhere.

    Expired tokens of the user go; past AMDESK_API_TOKENS_PER_USER live ones, the oldest go too,
    so a script that asks for a token on every run does not pile them up."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    keep = max(settings.AMDESK_API_TOKENS_PER_USER - 1, 0)
    surplus = list(
        ApiToken.objects.filter(user=user).order_by("-created_at", "-id").values_list("pk", flat=True)[keep:]
    )
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).delete()
        audit_record(
            event=AuditEvent.TOKEN_REVOKED,
            actor=user,
            request=request,
            target=user,
            detail={"reason": "too_many", "count": len(surplus)},
        )
    while True:
        key = secrets.token_urlsafe(32)
        if not ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).exists():
            break
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[:PREFIX_LENGTH],
        digest=_digest(key),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.AMDESK_API_TOKEN_SECONDS),
    )
    audit_record(
        event=AuditEvent.TOKEN_ISSUED,
        actor=user,
        request=request,
        target=token,
        detail={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, request=None) -> None:
    """Revoke one token (the caller fetched it through api_token_list, so it is his own)."""
    audit_record(
        event=AuditEvent.TOKEN_REVOKED,
        actor=actor,
        request=request,
        target=token.user,
        detail={"reason": "revoked", "prefix": token.prefix, "count": 1},
    )
    token.delete()


def api_tokens_revoke_all(*, user, reason: str, actor=None, request=None) -> int:
    """Revoke every token of `user` (his password changed, he was deactivated…); audited when any went."""
    count, _detail = ApiToken.objects.filter(user=user).delete()
    if count:
        audit_record(
            event=AuditEvent.TOKEN_REVOKED,
            actor=actor,
            request=request,
            target=user,
            detail={"reason": reason, "count": count},
        )
    return count


@transaction.atomic
def account_unlock(*, actor, username: str, request=None) -> int:
    """Lift django-axes' lock on `username` (all its failed attempts go); audited with the count."""
    removed = axes_reset(username=username)
    staff = get_user_model().objects.filter(username=username).first()
    audit_record(
        event=AuditEvent.ACCOUNT_UNLOCKED,
        actor=actor,
        request=request,
        target=staff,
        detail={"username": username, "attempts_removed": removed},
    )
    return removed
