"""A small fixed-window rate limit per caller address (public survey and rating links, sign-in).
Counts live in Django's cache (per process with the default local-memory cache; set CACHES to Redis
when several processes serve the pages).

`hit()` counts a request and says whether it may go on; `used()` only reads the count (sign-in
counts failures, so it asks before it tries); `retry_after()` is what a 429's Retry-After says."""

import math

from django.core.cache import cache
from django.utils import timezone

from .audit import client_ip


def _key(request, scope: str, window_seconds: int) -> str:
    window = int(timezone.now().timestamp()) // window_seconds
    return f"amdesk:ratelimit:{scope}:{client_ip(request) or '-'}:{window}"


def hit(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one request of this caller in `scope`; False once `limit` is passed within the window."""
    if limit <= 0:
        return True
    key = _key(request, scope, window_seconds)
    # add() is a no-op when the key exists; incr() is atomic in the cache backends Django ships.
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit


def used(request, *, scope: str, window_seconds: int) -> int:
    """How many hits this caller has in `scope` in the current window (without counting one)."""
    return cache.get(_key(request, scope, window_seconds), 0)


def retry_after(window_seconds: int) -> int:
    """Whole seconds until the current window ends and the count starts again (at least 1)."""
    now = timezone.now().timestamp()
    return max(1, math.ceil(window_seconds - now % window_seconds))
