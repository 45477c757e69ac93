"""Demo data of the inbox and notification centre: the sweeps run over the demo data as it stands
when built, and about a third of what they raise is marked read (older ones first)."""

from datetime import date
from random import Random

from django.utils import timezone


def build_notifications(*, rng: Random, today: date) -> None:
    from amdesk.notifications.models import Notification
    from amdesk.notifications.producers import notifications_sweep

    # Now, not a fixed hour of today: the SLA alerts the build raised carry the time they were raised,
    # and a sweep "as of 9:00" run later in the day would leave them (and their kinds) out.
    now = timezone.now()
    notifications_sweep(now=now)
    ids = list(Notification.objects.order_by("created_at", "id").values_list("pk", flat=True))
    read = [pk for pk in ids if rng.random() < 0.35]
    Notification.objects.filter(pk__in=read).update(read_at=now)
