"""The computed parts of the monthly sales analysis report (sections a to d as JSON), set-based over
the account manager's own clients: a fixed number of queries whatever the number of clients or
indicators. See the package's docstring for what each part holds."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from amdesk.clients.models import AumSnapshot, Client, Holding, ProductLine

from ...models import MonthlySalesReport, PerformanceEntry, PerformanceItem, PlanningSettings
from ...services.common import month_start
from ...services.performance import month_end
from ...services.sales_reports import next_month
from ...sources import computed_daily
from ...workflow import DocState
from ..targets import ZERO, computed_items, previous_month, target_completion

LIST_LIMIT = 50  # rows kept per list of b) and c); the count says how many there were
FORECAST_MONTHS = 3


def _months_back(month: date, n: int) -> date:
    for _i in range(n):
        month = previous_month(month)
    return month


def _dec(value) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def _change(value, base) -> float | None:
    value, base = Decimal(value or 0), Decimal(base or 0)
    if not base:
        return None
    return round(float(100 * (value - base) / base), 1)


def _aum_at(day: date) -> Subquery:
    """The client's (OuterRef) latest AUM on or before `day`."""
    return Subquery(
        AumSnapshot.objects.filter(client=OuterRef("pk"), as_of__lte=day)
        .order_by("-as_of")
        .values("amount")[:1],
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def own_clients(owner) -> QuerySet:
    """The clients the report covers: the account manager's own, not offboarded."""
    return Client.objects.filter(owner=owner, offboarded_on__isnull=True)


def _performance(owner, month: date) -> tuple[list[dict], list[dict]]:
    """(a's rows, d's rows): per indicator the month, the previous month, the same month last year;
    and the last three months, their mean (the system's forecast of next month) and next month of
    last year. One aggregate query plus one per computed source."""
    previous = previous_month(month)
    first = _months_back(month, FORECAST_MONTHS - 1)
    last_year = month.replace(year=month.year - 1)
    following = next_month(month)
    next_last_year = following.replace(year=following.year - 1)
    spans = {
        "month": (month, month_end(month)),
        "previous": (previous, month_end(previous)),
        "last_year": (last_year, month_end(last_year)),
        "next_last_year": (next_last_year, month_end(next_last_year)),
        **{
            f"m{n}": (_months_back(month, n), month_end(_months_back(month, n)))
            for n in range(FORECAST_MONTHS)
        },
    }
    condition = Q()
    for start, end in spans.values():
        condition |= Q(day__range=(start, end))
    rows = (
        PerformanceEntry.objects.filter(sheet__owner=owner)
        .filter(condition)
        .values("item_id")
        .annotate(**{name: Sum("value", filter=Q(day__range=span)) for name, span in spans.items()})
        .order_by()
    )
    figures = {row["item_id"]: row for row in rows}
    computed = computed_items()
    if computed:
        daily = computed_daily(computed, [owner.pk], min(last_year, first), month_end(month))
        for (_owner, item_id, day), value in daily.items():
            row = figures.setdefault(item_id, {})
            for name, (start, end) in spans.items():
                if start <= day <= end:
                    row[name] = (row.get(name) or ZERO) + value
    items = PerformanceItem.objects.filter(Q(is_active=True) | Q(pk__in=list(figures))).order_by(
        "order", "code"
    )
    sales, forecast = [], []
    for item in items:
        row = figures.get(item.pk, {})
        base = {"item": item.pk, "name": item.name, "name_en": item.name_en, "unit": item.unit_label}
        sales.append(
            {
                **base,
                "month": _dec(row.get("month")),
                "previous": _dec(row.get("previous")),
                "last_year": _dec(row.get("last_year")),
            }
        )
        history = [row.get(f"m{n}") or ZERO for n in reversed(range(FORECAST_MONTHS))]
        mean = sum(history, ZERO) / FORECAST_MONTHS
        forecast.append(
            {
                **base,
                "history": [_dec(value) for value in history],
                "system": _dec(mean),
                "next_last_year": _dec(row.get("next_last_year")),
            }
        )
    return sales, forecast


def _aum(owner, month: date, settings: PlanningSettings) -> tuple[dict, list[dict], int]:
    """Totals of the clients' AUM at the ends of the month, of the previous month and of the same
    month last year (one query); the clients whose AUM fell by the settings' percentage or more in
    the month, largest fall first (one query, and one to count them)."""
    end, before = month_end(month), month_end(previous_month(month))
    year_ago = month_end(month.replace(year=month.year - 1))
    clients = own_clients(owner)
    totals = clients.annotate(a=_aum_at(end), b=_aum_at(before), c=_aum_at(year_ago)).aggregate(
        month=Sum("a"), previous=Sum("b"), last_year=Sum("c"), clients=Count("pk", filter=Q(a__isnull=False))
    )
    factor = Decimal(100 - settings.sales_report_aum_drop_percent) / 100
    drops = (
        clients.annotate(after=_aum_at(end), before=_aum_at(before))
        .filter(before__gt=0)
        .filter(Q(after__lte=F("before") * factor) | Q(after__isnull=True))
        .annotate(fall=F("before") - F("after"))
        .order_by(F("fall").desc(nulls_first=True), "pk")
    )
    count = drops.count()
    rows = [
        {
            "client": client.pk,
            "name": client.name,
            "before": _dec(client.before),
            "after": _dec(client.after),
            "change": _change(client.after, client.before),
        }
        for client in drops.only("pk", "name")[:LIST_LIMIT]
    ]
    return (
        {
            # "" (shown "—") when no client had AUM recorded by then, rather than a total of 0
            "month": _dec(totals["month"]) if totals["month"] is not None else "",
            "previous": _dec(totals["previous"]) if totals["previous"] is not None else "",
            "last_year": _dec(totals["last_year"]) if totals["last_year"] is not None else "",
            "clients": totals["clients"],
        },
        rows,
        count,
    )


def _holdings(owner) -> list[dict]:
    """The clients' holdings by product line, as they stand: one query (and one for the lines)."""
    rows = (
        Holding.objects.filter(client__in=own_clients(owner))
        .values("product__line_id")
        .annotate(balance=Sum("balance"), clients=Count("client_id", distinct=True))
        .order_by()
    )
    found = {row["product__line_id"]: row for row in rows}
    lines = ProductLine.objects.filter(pk__in=list(found)).order_by("order", "code")
    return [
        {
            "line": line.pk,
            "name": line.name,
            "name_en": line.name_en,
            "balance": _dec(found[line.pk]["balance"]),
            "clients": found[line.pk]["clients"],
        }
        for line in lines
    ]


def _behind_target(owner, month: date) -> list[dict]:
    completion = target_completion([owner.pk], month).get(owner.pk, {})
    behind = {item: done for item, done in completion.items() if done.achieved < done.target}
    items = PerformanceItem.objects.filter(pk__in=list(behind)).order_by("order", "code")
    return [
        {
            "item": item.pk,
            "name": item.name,
            "name_en": item.name_en,
            "target": _dec(behind[item.pk].target),
            "achieved": _dec(behind[item.pk].achieved),
            "rate": behind[item.pk].rate,
        }
        for item in items
    ]


def _overdue_key_clients(owner, today: date) -> tuple[list[dict], int]:
    """Key clients overdue for a visit by the visit norms on `today` (visits capability)."""
    from amdesk.visits.selectors.status import status_q, with_visit_status

    clients = own_clients(owner).filter(tier__is_key=True).exclude(lifecycle=Client.Lifecycle.LOST)
    overdue = (
        with_visit_status(clients).filter(status_q("overdue", today=today)).order_by("next_due_on", "pk")
    )
    count = overdue.count()
    rows = [
        {
            "client": client.pk,
            "name": client.name,
            "last_visited_on": client.last_visited_on.isoformat() if client.last_visited_on else "",
            "next_due_on": client.next_due_on.isoformat() if client.next_due_on else "",
        }
        for client in overdue[:LIST_LIMIT]
    ]
    return rows, count


def _month_range(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(month, datetime.min.time()))
    return start, timezone.make_aware(datetime.combine(next_month(month), datetime.min.time()))


def _tickets(owner, month: date, *, repeat_only: bool) -> tuple[list[dict], int]:
    from amdesk.service.models import Ticket

    start, end = _month_range(month)
    tickets = Ticket.objects.filter(
        client__in=own_clients(owner), received_at__gte=start, received_at__lt=end
    ).select_related("client")
    if repeat_only:
        tickets = tickets.filter(repeat_of__isnull=False)
    tickets = tickets.order_by("received_at", "pk")
    count = tickets.count()
    rows = [
        {
            "ticket": ticket.pk,
            "number": ticket.number,
            "client": ticket.client_id,
            "name": ticket.client.name,
            "type": ticket.ticket_type,
            "subject": ticket.subject,
            "received_on": timezone.localdate(ticket.received_at).isoformat(),
        }
        for ticket in tickets[:LIST_LIMIT]
    ]
    return rows, count


def _visits(owner, month: date, *, special: bool) -> tuple[list[dict], int]:
    from amdesk.visits.models import Visit

    visits = Visit.objects.filter(
        client__in=own_clients(owner), visited_on__range=(month, month_end(month))
    ).select_related("client")
    visits = visits.filter(kind=Visit.Kind.SPECIAL) if special else visits.exclude(opinions="")
    visits = visits.order_by("visited_on", "pk")
    count = visits.count()
    rows = [
        {
            "visit": visit.pk,
            "client": visit.client_id,
            "name": visit.client.name,
            "on": visit.visited_on.isoformat(),
            "special": visit.kind == Visit.Kind.SPECIAL,
            "reason": visit.special_reason,
            "text": visit.opinions,
        }
        for visit in visits[:LIST_LIMIT]
    ]
    return rows, count


def sales_report_figures(*, owner, month: date, today: date | None = None) -> dict:
    """The computed parts of `owner`'s report on `month` as they stand (JSON): what the page shows
    while the report is a draft or returned, and what is frozen on it at submission."""
    today = today or timezone.localdate()
    month = month_start(month)
    settings = PlanningSettings.current()
    sales, forecast = _performance(owner, month)
    aum, drops, drop_count = _aum(owner, month, settings)
    overdue, overdue_count = _overdue_key_clients(owner, today)
    repeats, repeat_count = _tickets(owner, month, repeat_only=True)
    opinions, opinion_count = _visits(owner, month, special=False)
    specials, special_count = _visits(owner, month, special=True)
    tickets, ticket_count = _tickets(owner, month, repeat_only=False)
    return {
        "month": month.isoformat(),
        "as_of": today.isoformat(),
        "performance": sales,
        "aum": aum,
        "holdings": _holdings(owner),
        "noticed": {
            "aum_drop_percent": settings.sales_report_aum_drop_percent,
            "aum_drops": drops,
            "aum_drop_count": drop_count,
            "behind_target": _behind_target(owner, month),
            "overdue_key_clients": overdue,
            "overdue_key_count": overdue_count,
            "repeat_complaints": repeats,
            "repeat_count": repeat_count,
        },
        "opinions": {
            "visits": opinions,
            "visit_count": opinion_count,
            "special_visits": specials,
            "special_count": special_count,
            "tickets": tickets,
            "ticket_count": ticket_count,
        },
        "forecast": {"method": "mean3", "month": next_month(month).isoformat(), "rows": forecast},
    }


def report_figures(
    report: MonthlySalesReport | None, *, owner, month: date, today: date | None = None
) -> dict:
    """The figures to show: frozen while the report is submitted or reviewed, else live."""
    if report is not None and report.state in (DocState.SUBMITTED, DocState.REVIEWED) and report.figures:
        return report.figures
    return sales_report_figures(owner=owner, month=month, today=today)
