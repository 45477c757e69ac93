"""Helpers that make visit records and places consistent with the client's owner and org."""

import base64
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from amdesk.visits.models import ClientLocation, Visit, VisitNorm, VisitSettings
from amdesk.visits.services import visit_record
from tests.clients.factories import by_code

# A real 1×1 PNG, as the signature pad would send it.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()


def at(day, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def record_visit(actor, client, day=None, *, minutes: int = 30, signed: bool = True, **data) -> Visit:
    """A finished visit on `day` (today by default), signed by the client unless told otherwise."""
    day = day or timezone.localdate()
    started = at(day)
    latest = timezone.now() - timedelta(minutes=minutes + 1)
    if started > latest:  # early in the morning "today at 10:00" is still ahead: visits are in the past
        started = latest
    data.setdefault("started_at", started)
    data.setdefault("ended_at", data["started_at"] + timedelta(minutes=minutes))
    if not signed and data.get("mode", Visit.Mode.ON_SITE) == Visit.Mode.ON_SITE:
        data.setdefault("unsigned_reason", "客户不在店内")
    return visit_record(actor=actor, client=client, data=data, signature=SIGNATURE if signed else "")


def place(client, lat: float | None, lng: float | None, area: str = "") -> ClientLocation:
    return ClientLocation.objects.update_or_create(
        client=client,
        defaults={
            "latitude": Decimal(str(lat)) if lat is not None else None,
            "longitude": Decimal(str(lng)) if lng is not None else None,
            "area": area,
        },
    )[0]


def norm(name: str, interval_days: int | None, **criteria) -> VisitNorm:
    """A visit frequency norm; criteria are tier, lifecycle, grade, vip_level."""
    return VisitNorm.objects.create(name=name, interval_days=interval_days, **by_code(criteria))


def visit_settings(**changes) -> VisitSettings:
    """The one VisitSettings row with the given numbers changed."""
    settings = VisitSettings.current()
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def created_on(client, day) -> None:
    """Pretend the client entered the archive on `day`."""
    type(client).objects.filter(pk=client.pk).update(created_at=at(day, 9))
    client.refresh_from_db()
