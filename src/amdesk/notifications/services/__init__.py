"""Writes of the notification centre: creating notifications (set-based, once per key), marking
them read, saving a user's preferences. The nav counts cached per user are dropped on each."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..kinds import KINDS
from ..models import Notification, NotificationPreference

NAV_CACHE_KEY = "notifications:nav:{user_id}"


def nav_cache_forget(user_ids) -> None:
    cache.delete_many([NAV_CACHE_KEY.format(user_id=user_id) for user_id in set(user_ids)])


@dataclass(frozen=True)
class Draft:
    """A notification a producer wants to exist (created unless it exists or its kind is muted)."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def muted_users(kind: str) -> set[int]:
    """Users who switched this kind off (one query)."""
    return {
        user_id
        for user_id, muted in NotificationPreference.objects.exclude(muted_kinds=[]).values_list(
            "user_id", "muted_kinds"
        )
        if kind in (muted or [])
    }


def notifications_create(*, drafts: list[Draft], now=None) -> int:
    """Create the drafts that do not exist yet, for users who have not switched their kind off.
    Set-based: one query for the mutes of each kind, one for the keys already there, one insert.
    Returns how many were created."""
    if not drafts:
        return 0
    now = now or timezone.now()
    kinds = {draft.kind for draft in drafts}
    unknown = kinds - KINDS.keys()
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    muted = {kind: muted_users(kind) for kind in kinds}
    wanted = {(d.user_id, d.kind, d.key): d for d in drafts if d.user_id not in muted[d.kind]}
    if not wanted:
        return 0
    existing = set(
        Notification.objects.filter(
            kind__in=kinds,
            key__in={key for _user, _kind, key in wanted},
            user_id__in={u for u, _k, _key in wanted},
        ).values_list("user_id", "kind", "key")
    )
    new = [
        Notification(
            user_id=d.user_id,
            kind=d.kind,
            key=d.key,
            title=d.title[:200],
            body=d.body[:500],
            url=d.url,
            created_at=now,
        )
        for ident, d in wanted.items()
        if ident not in existing
    ]
    # ignore_conflicts: a sweep running beside another (cron and the task) cannot create it twice.
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    nav_cache_forget(n.user_id for n in new)
    return len(new)


def notifications_mark_read(*, actor, ids=None, now=None) -> int:
    """Mark the actor's notifications read (all unread ones when ids is None); returns how many.
    Another user's ids are simply not his: nothing happens to them."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=now or timezone.now())
    nav_cache_forget([actor.pk])
    return marked


def preference_of(user) -> NotificationPreference:
    """The user's preferences (unsaved defaults when he never chose)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


@transaction.atomic
def preferences_save(*, actor, muted_kinds, digest: bool) -> NotificationPreference:
    muted = sorted(set(muted_kinds))
    unknown = set(muted) - KINDS.keys()
    if unknown:
        raise ValidationError(
            {"muted_kinds": [_("Unknown kind: %(kind)s") % {"kind": ", ".join(sorted(unknown))}]}
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"muted_kinds": muted, "digest": bool(digest)}
    )
    return preference


__all__ = [
    "Draft",
    "muted_users",
    "nav_cache_forget",
    "notifications_create",
    "notifications_mark_read",
    "preference_of",
    "preferences_save",
]
