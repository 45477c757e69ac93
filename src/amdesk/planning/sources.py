"""Where the figures of computed indicators come from (issue 7: achieved figures "computed from
registrations and real data"). An indicator (PerformanceItem) with a `source` is not registered by
hand: its achieved figures are read from the system's data by the source of that code. Which
indicators an industry has is preset data (`indicators` in presets/*.toml); the sources are the
only code.

A source is set-based: `daily(staff_ids, start, end)` returns {(staff id, day): value} for the
period in one query, whatever the number of account managers; callers fold the days into weeks,
months or buckets as the registrations are."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Daily = dict[tuple[int, date], Decimal]


@dataclass(frozen=True)
class Source:
    code: str
    label: object
    daily: Callable[[list[int], date, date], Daily]

    def totals(self, staff_ids: Iterable[int], start: date, end: date) -> dict[int, Decimal]:
        """{staff id: value} of the period."""
        found: dict[int, Decimal] = {}
        for (staff_id, _day), value in self.daily(list(staff_ids), start, end).items():
            found[staff_id] = found.get(staff_id, Decimal(0)) + value
        return found


def _rows(rows) -> Daily:
    return {(owner, day): Decimal(value) for owner, day, value in rows if value}


def log_new_clients(staff_ids: list[int], start: date, end: date) -> Daily:
    """New clients opened as reported in the daily work logs handed in (the per-product counts)."""
    from .models import WorkLogOpening
    from .workflow import HANDED_IN_STATES

    return _rows(
        WorkLogOpening.objects.filter(
            log__owner__in=staff_ids, log__day__range=(start, end), log__state__in=HANDED_IN_STATES
        )
        .values_list("log__owner_id", "log__day")
        .annotate(value=Sum("count"))
        .order_by()
    )


def visits_made(staff_ids: list[int], start: date, end: date) -> Daily:
    """Visits recorded by the account manager (visits capability), by the day of the visit."""
    from amdesk.visits.models import Visit

    return _rows(
        Visit.objects.filter(owner__in=staff_ids, visited_on__range=(start, end))
        .values_list("owner_id", "visited_on")
        .annotate(value=Count("pk"))
        .order_by()
    )


def archive_new_clients(staff_ids: list[int], start: date, end: date) -> Daily:
    """Clients that entered the archive in the account manager's hands: ownerships started by
    creating or importing the client (handovers are not new clients), by the local day."""
    from amdesk.clients.models import ClientOwnership

    how = [ClientOwnership.How.CREATED, ClientOwnership.How.IMPORT]
    # A plain range on the column (the local days' bounds), so the (owner, started_at) index serves it;
    # a date function in the filter would read every ownership of the owners.
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return _rows(
        ClientOwnership.objects.filter(
            owner__in=staff_ids, how__in=how, started_at__gte=begin, started_at__lt=finish
        )
        .values_list("owner_id", "started_at__date")
        .annotate(value=Count("pk"))
        .order_by()
    )


SOURCES: dict[str, Source] = {
    source.code: source
    for source in [
        Source("log_new_clients", _("New clients reported in the daily work logs"), log_new_clients),
        Source("visits", _("Visits recorded"), visits_made),
        Source(
            "archive_new_clients",
            _("New clients in the archive (created or imported)"),
            archive_new_clients,
        ),
    ]
}


def computed_daily(
    items, staff_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, int, date], Decimal]:
    """{(staff id, item id, day): value} of the computed indicators among `items`: one query per
    source used, whatever the number of account managers."""
    staff_ids = list(staff_ids)
    found: dict[tuple[int, int, date], Decimal] = {}
    if not staff_ids:
        return found
    for item in items:
        source = SOURCES.get(item.source)
        if source is None:
            continue
        for (staff_id, day), value in source.daily(staff_ids, start, end).items():
            found[(staff_id, item.pk, day)] = value
    return found


__all__ = ["SOURCES", "Source", "archive_new_clients", "computed_daily", "log_new_clients", "visits_made"]
