from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def moment(raw: str | None) -> datetime:
    if not raw:
        return timezone.now()
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError("--at must be a date-time like 2026-11-23T10:00.") from None
    return timezone.make_aware(at) if timezone.is_naive(at) else at
