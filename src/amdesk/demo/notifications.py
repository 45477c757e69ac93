"""Demo data of the inbox and notification centre: the sweeps run over the demo data as of this
morning, and about a third of what they raise is marked read (older ones first)."""

from datetime import date, datetime, time
from random import Random

from django.utils import timezone


def build_notifications(*, rng: Random, today: date) -> None:
    from amdesk.notifications.models import Notification
    from amdesk.notifications.producers import notifications_sweep

    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(9, 0))))
    notifications_sweep(now=now)
    ids = list(Notification.objects.order_by("created_at", "id").values_list("pk", flat=True))
    read = [pk for pk in ids if rng.random() < 0.35]
    Notification.objects.filter(pk__in=read).update(read_at=now)
