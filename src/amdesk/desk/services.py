"""Refreshing the desks' pre-aggregated figures (models.py): one set-based pass, whatever the size.

`desk_figures_refresh` replaces every row in one transaction: a few dozen GROUP BY queries over the
client archive, the AUM snapshots and the visits (the heavy part: bench/README.md gives its time at
scale), run by the self-scheduling `desk_refresh_task` (tasks.py) or `amdesk desk_refresh`, and by
the demo after it has built its data. DeskRefresh keeps when it last ran ("as of" on the desks).
"""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from amdesk.clients.models import AumSnapshot, Client, ClientSettings
from amdesk.visits.models import Visit
from amdesk.visits.selectors.status import compliance_in_period

from .models import DeskRefresh, NodeClients, NodeMonth, NodeTier, OwnerWeek

MONTHS = 12  # the AUM and visit trends: the last full months
WEEKS = 8  # the visit compliance heat map: the last full weeks


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the `months` full months before today's month, oldest first."""
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return starts[::-1]


def month_last_day(first: date) -> date:
    return ((first + timedelta(days=32)).replace(day=1)) - timedelta(days=1)


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the `weeks` full weeks before today's week, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(days=7 * n) for n in range(weeks, 0, -1)]


def aum_month_end_by_node(last_day: date) -> list[dict]:
    """Per org node: the sum of each client's latest AUM snapshot on or before `last_day`."""
    later = AumSnapshot.objects.filter(
        client=OuterRef("client"), as_of__gt=OuterRef("as_of"), as_of__lte=last_day
    )
    return list(
        AumSnapshot.objects.filter(as_of__lte=last_day)
        .filter(~Exists(later))
        .values("client__org_node")
        .annotate(aum=Sum("amount"), clients=Count("client"))
        .order_by()
    )


@transaction.atomic
def desk_figures_refresh(*, today: date | None = None) -> dict[str, int]:
    """Recompute every summary row; returns how many rows of each table were written."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    now = timezone.now()
    months = month_starts(today)
    rows: dict[tuple[int, date], NodeMonth] = {}

    def row(node_id: int, month: date) -> NodeMonth:
        key = (node_id, month)
        if key not in rows:
            rows[key] = NodeMonth(org_node_id=node_id, month=month, computed_at=now)
        return rows[key]

    for month in months:
        for found in aum_month_end_by_node(month_last_day(month)):
            figures = row(found["client__org_node"], month)
            figures.aum, figures.aum_clients = found["aum"] or Decimal(0), found["clients"]
    for found in (
        Visit.objects.filter(visited_on__range=(months[0], month_last_day(months[-1])))
        .annotate(month=TruncMonth("visited_on"))
        .values("org_node", "month")
        .annotate(visits=Count("id"))
        .order_by()
    ):
        row(found["org_node"], found["month"]).visits = found["visits"]

    tiers = [
        NodeTier(
            org_node_id=found["org_node"],
            tier_id=found["tier"],
            clients=found["clients"],
            aum=found["aum"] or Decimal(0),
            computed_at=now,
        )
        for found in Client.objects.exclude(lifecycle=Client.Lifecycle.LOST)
        .values("org_node", "tier")
        .annotate(clients=Count("id"), aum=Sum("aum"))
        .order_by()
    ]

    # The client card's counts, as Desk.clients counts them live for an account manager.
    threshold = ClientSettings.current().complete_at_percent
    served = ~Q(lifecycle=Client.Lifecycle.LOST)
    counts = [
        NodeClients(org_node_id=found.pop("org_node"), computed_at=now, **found)
        for found in Client.objects.values("org_node")
        .annotate(
            total=Count("pk"),
            lost=Count("pk", filter=~served),
            key=Count("pk", filter=served & Q(tier__is_key=True)),
            incomplete=Count("pk", filter=served & Q(completeness__lt=threshold)),
            stakeholder_gaps=Count("pk", filter=served & Q(stakeholder_gap=True)),
        )
        .order_by()
    ]

    weeks: dict[tuple[int, date], OwnerWeek] = {}
    mondays = week_starts(today)
    clients = Client.objects.filter(owner__isnull=False)
    for monday in mondays:
        for found in compliance_in_period(
            clients, start=monday, end=monday + timedelta(days=6), group_by=("owner",)
        ):
            weeks[(found["owner"], monday)] = OwnerWeek(
                owner_id=found["owner"],
                week=monday,
                clients_due=found["clients"],
                complied=found["complied"],
                computed_at=now,
            )
    for found in (
        Visit.objects.filter(visited_on__range=(mondays[0], mondays[-1] + timedelta(days=6)))
        .values("owner", "visited_on")
        .annotate(visits=Count("id"))
        .order_by()
    ):
        monday = found["visited_on"] - timedelta(days=found["visited_on"].weekday())
        key = (found["owner"], monday)
        weeks.setdefault(key, OwnerWeek(owner_id=found["owner"], week=monday, computed_at=now))
        weeks[key].visits += found["visits"]

    NodeMonth.objects.all().delete()
    NodeTier.objects.all().delete()
    OwnerWeek.objects.all().delete()
    NodeClients.objects.all().delete()
    NodeMonth.objects.bulk_create(rows.values(), batch_size=1000)
    NodeTier.objects.bulk_create(tiers, batch_size=1000)
    OwnerWeek.objects.bulk_create(weeks.values(), batch_size=1000)
    NodeClients.objects.bulk_create(counts, batch_size=1000)
    DeskRefresh.current()  # the row exists
    # Only these two fields: the task's chain token in the same row is not this function's.
    DeskRefresh.objects.filter(pk=1).update(refreshed_at=now, seconds=round(time.perf_counter() - started, 3))
    return {
        "node_months": len(rows),
        "node_tiers": len(tiers),
        "owner_weeks": len(weeks),
        "node_clients": len(counts),
    }
