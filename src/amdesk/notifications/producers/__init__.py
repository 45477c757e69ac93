"""The producers of notifications: one module per kind, each an idempotent set-based sweep that
reads the modules' state (within the settings' look-back window) and hands Drafts to
services.notifications_create, whose unique (user, kind, key) makes a second run create nothing.

`notifications_sweep` runs them all: the `amdesk notifications-sweep` command (cron) and the
self-scheduling task (tasks.py) call it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings as django_settings
from django.utils import timezone, translation

from ..models import NotificationSettings
from ..services import Draft, notifications_create
from . import documents_due, followups_due, handovers, overdue_visits, returned, sla


@dataclass(frozen=True)
class Producer:
    kinds: tuple[str, ...]
    drafts: Callable[..., list[Draft]]  # (now, settings) -> drafts


PRODUCERS: list[Producer] = [
    Producer(sla.KINDS, sla.drafts),
    Producer(documents_due.KINDS, documents_due.drafts),
    Producer(overdue_visits.KINDS, overdue_visits.drafts),
    Producer(followups_due.KINDS, followups_due.drafts),
    Producer(returned.KINDS, returned.drafts),
    Producer(handovers.KINDS, handovers.drafts),
]


def notifications_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every producer; returns the notifications created per kind. Texts are written in the
    site's language (the sweep runs outside any request)."""
    now = now or timezone.now()
    settings = NotificationSettings.current()
    created: dict[str, int] = {}
    with translation.override(django_settings.LANGUAGE_CODE):
        for producer in PRODUCERS:
            for kind in producer.kinds:
                created.setdefault(kind, 0)
            drafts = producer.drafts(now=now, settings=settings)
            for kind in producer.kinds:
                created[kind] += notifications_create(drafts=[d for d in drafts if d.kind == kind], now=now)
    return created


__all__ = ["PRODUCERS", "Producer", "notifications_sweep"]
