"""Reads of the notification centre: a user's own notifications (nobody reads another's) and the
counts the navigation shows, cached per user."""

from django.core.cache import cache
from django.db.models import Case, QuerySet, When
from django.http import Http404
from django.utils import timezone

from .. import stamps
from ..inbox import inbox_counts
from ..models import Notification
from ..services import NAV_CACHE_KEY

NAV_CACHE_SECONDS = 60


def notifications_for(viewer, *, unread_only: bool = False) -> QuerySet:
    notifications = Notification.objects.filter(user_id=viewer.pk)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def notification_list(viewer) -> QuerySet:
    """The viewer's notifications, unread first, newest first within each."""
    return notifications_for(viewer).order_by(
        Case(When(read_at__isnull=True, then=0), default=1), "-created_at", "-id"
    )


def access_notification(viewer, notification_id) -> Notification:
    found = notifications_for(viewer).filter(pk=notification_id).first()
    if found is None:
        raise Http404("No such notification.")
    return found


def nav_counts_cached(viewer) -> dict | None:
    """The figures of nav_counts if computed within the minute and nothing they count changed since
    (stamps.py), else None. Two cache reads, no database query."""
    key = NAV_CACHE_KEY.format(user_id=viewer.pk)
    found = cache.get(key)
    if not isinstance(found, dict) or "counts" not in found:
        return None
    if not stamps.still_valid(found["stamps"]):
        cache.delete(key)
        return None
    return found["counts"]


def nav_counts(viewer) -> dict:
    """{"unread": notifications not read, "inbox": items waiting in the inbox}, cached per user
    for a minute (the inbox is computed live over every module: a page view must not pay for it
    each time). The figures are dropped at once when the viewer marks one read or gets a new one,
    and are stale as soon as an audited change concerns him or the people he oversees (stamps.py)."""
    found = nav_counts_cached(viewer)
    if found is None:
        # the stamps first: a change while the counts are computed makes these figures stale
        seen = stamps.read(stamps.viewer_keys(viewer))
        found = {
            "unread": notifications_for(viewer, unread_only=True).count(),
            "inbox": sum(inbox_counts(viewer, today=timezone.localdate()).values()),
        }
        key = NAV_CACHE_KEY.format(user_id=viewer.pk)
        cache.set(key, {"counts": found, "stamps": seen}, NAV_CACHE_SECONDS)
    return found


__all__ = ["access_notification", "nav_counts", "nav_counts_cached", "notification_list", "notifications_for"]
