"""Helpers of the indicator library's tests: run a source, build small client histories."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from amdesk.appraisal.sources import Context, compute_source
from amdesk.clients.models import AumSnapshot, ClientChange, ClientOwnership


def run(code: str, people, start: date, end: date, **params) -> dict[int, Decimal]:
    ctx = Context(staff_ids=[getattr(p, "pk", p) for p in people], start=start, end=end)
    return compute_source(ctx, code, params)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def created_on(client, day: date) -> None:
    """Move a client's creation (and his first ownership) back to `day`."""
    ClientOwnership.objects.filter(client=client).update(started_at=at(day, 9))
    type(client).objects.filter(pk=client.pk).update(created_at=at(day, 9))


def lifecycle_change(client, old: str, new: str, day: date) -> None:
    ClientChange.objects.create(
        client=client, field="lifecycle", old_value=old, new_value=new, changed_at=at(day)
    )
    type(client).objects.filter(pk=client.pk).update(lifecycle=new)


def hand_over(client, to, day: date) -> None:
    """Record a handover on `day` (history only: the owner field follows)."""
    ClientOwnership.objects.filter(client=client, ended_at__isnull=True).update(ended_at=at(day, 12))
    ClientOwnership.objects.create(client=client, owner=to, how="handover", started_at=at(day, 12))
    type(client).objects.filter(pk=client.pk).update(owner=to, org_node=to.org_node)


def aum(client, day: date, amount) -> None:
    AumSnapshot.objects.create(client=client, as_of=day, amount=Decimal(str(amount)))
