"""A small fixed-window rate limit for public pages (survey and rating links): no login there, so
the caller's address is what is counted. Counts live in Django's cache (per process with the default
local-memory cache; set CACHES to Redis when several processes serve the public pages)."""

from django.core.cache import cache
from django.utils import timezone

from .audit import client_ip


def hit(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one request of this caller in `scope`; False once `limit` is passed within the window."""
    if limit <= 0:
        return True
    window = int(timezone.now().timestamp()) // window_seconds
    key = f"amdesk:ratelimit:{scope}:{client_ip(request) or '-'}:{window}"
    # add() is a no-op when the key exists; incr() is atomic in the cache backends Django ships.
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
