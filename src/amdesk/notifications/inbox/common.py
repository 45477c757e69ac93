"""Helpers the sources share."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone


def count_and_first(queryset: QuerySet, limit: int, make) -> tuple[int, list]:
    """One COUNT, and when limit > 0 one query for the first `limit` rows turned into Items."""
    count = queryset.count()
    if not count or not limit:
        return count, []
    return count, [make(row) for row in queryset[:limit]]


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_by_end_of_tomorrow(today: date) -> datetime:
    return day_start(today + timedelta(days=2))


def settings_row(model):
    """A one-row settings model's row, or its defaults unsaved: the inbox only reads (the navigation
    loads its counts with a GET after each page; it must not write, not even the first settings row)."""
    return model.objects.filter(pk=1).first() or model()
