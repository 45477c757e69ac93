"""Sign-in throttling by caller address, beside django-axes' lock by username.

axes locks a username after five failures in a row, which stops guessing one user's password but
neither one password tried against every user (spraying) nor anyone locking out everyone. So each
address may fail only AMDESK_SIGN_IN_FAILURES_PER_ADDRESS times per window; past that, the form and
the token API answer 429 with Retry-After before any password is checked (and before axes counts
a failure, so a throttled address can no longer lock accounts). Failures are counted, not attempts:
a whole outlet signs in through one proxy address at nine o'clock, and its successes cost nothing."""

from django.conf import settings
from django.utils.translation import ngettext

from amdesk.core.ratelimit import hit, retry_after, used

SCOPE = "sign-in-failures"


def sign_in_wait(request) -> int:
    """Seconds this address must wait before it may try again; 0 when it may try now."""
    limit = settings.AMDESK_SIGN_IN_FAILURES_PER_ADDRESS
    window = settings.AMDESK_SIGN_IN_WINDOW_SECONDS
    if limit <= 0 or request is None:
        return 0
    if used(request, scope=SCOPE, window_seconds=window) >= limit:
        return retry_after(window)
    return 0


def sign_in_failed(request) -> None:
    """Count one failed sign-in of this address (form or token API; called by the failure signal)."""
    if request is None or settings.AMDESK_SIGN_IN_FAILURES_PER_ADDRESS <= 0:
        return
    hit(
        request,
        scope=SCOPE,
        limit=settings.AMDESK_SIGN_IN_FAILURES_PER_ADDRESS,
        window_seconds=settings.AMDESK_SIGN_IN_WINDOW_SECONDS,
    )


def throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many failed sign-ins from this address. Try again in %(minutes)d minute.",
        "Too many failed sign-ins from this address. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
