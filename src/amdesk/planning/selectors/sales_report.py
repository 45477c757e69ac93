"""Reads of the monthly client sales analysis report (models.sales_report): the scoped list and the
one-object gate, the computed parts the account manager starts from (set-based, over his own
clients: a fixed number of queries whatever the number of clients or indicators), the way they are
shown (sections of tables and charts, shared by the page, the API and the PDF/xlsx), and the report
column of the team board and the desk's figures.

The computed parts, as JSON (frozen on the report when it is submitted):
a) sales of the month: the performance registrations per indicator, the clients' AUM at the month's
   end, each against the previous month and the same month last year; the holdings by product line
   (balances as they stand: holdings keep no history);
b) what the system noticed: clients whose AUM fell by the settings' percentage or more in the month,
   indicators behind their target, key clients overdue for a visit (the visit norms), repeat
   complaints received in the month;
c) the month's client opinions: visit records' opinions and suggestions, special visits, tickets;
d) next month's forecast per indicator: the mean of the last three months' figures (shown with the
   same month last year for reference); the account manager adjusts it with a reason."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import AumSnapshot, Client, Holding, ProductLine
from amdesk.core.i18n import localized
from amdesk.orgs.access import records_q, scoped

from ..models import MonthlySalesReport, PerformanceEntry, PerformanceItem, PlanningSettings
from ..services.common import month_start
from ..services.documents import due_provisional
from ..services.performance import month_end
from ..services.sales_reports import next_month, report_month, sales_report_due_at
from ..sources import computed_daily
from ..workflow import HANDED_IN_STATES, DocState
from .targets import ZERO, computed_items, previous_month, target_completion

LIST_LIMIT = 50  # rows kept per list of b) and c); the count says how many there were
FORECAST_MONTHS = 3


def sales_reports_for(viewer) -> QuerySet:
    return scoped(MonthlySalesReport.objects.all(), records_q(viewer)).select_related(
        "owner", "reviewer", "org_node"
    )


def access_sales_report(viewer, pk) -> MonthlySalesReport:
    """One report the viewer may see; "not found" for both missing and forbidden."""
    report = sales_reports_for(viewer).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    return report


# -- the computed parts ------------------------------------------------------------------------


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
            "month": _dec(totals["month"]),
            "previous": _dec(totals["previous"]),
            "last_year": _dec(totals["last_year"]),
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


# -- how the computed parts are shown ------------------------------------------------------------


def _name(row: dict) -> str:
    return localized(row.get("name", ""), row.get("name_en", ""))


def _num(text) -> float:
    return float(Decimal(text or 0))


def _col(key: str, label, kind: str = "text") -> dict:
    return {"key": key, "label": str(label), "kind": kind}


def _table(title, columns, rows, note="", testid="") -> dict:
    return {
        "type": "table",
        "title": str(title),
        "columns": columns,
        "rows": rows,
        "note": str(note),
        "id": testid,
    }


def _chart(chart_id, title, categories, series, *, kind="bar", unit="") -> dict:
    return {
        "type": "chart",
        "id": chart_id,
        "title": str(title),
        "kind": kind,
        "categories": [str(c) for c in categories],
        "series": [{"name": str(name), "values": values} for name, values in series],
        "unit": str(unit),
    }


def _more(count: int, shown: int) -> str:
    if count > shown:
        return _("%(shown)d of %(count)d shown.") % {"shown": shown, "count": count}
    return ""


def forecast_rows(figures: dict, adjustments: dict) -> list[dict]:
    """d) per indicator: the system's forecast, the account manager's adjusted value and reason."""
    rows = []
    for row in figures["forecast"]["rows"]:
        adjusted = (adjustments or {}).get(str(row["item"])) or {}
        rows.append(
            {
                "item": row["item"],
                "indicator": _name(row),
                "unit": row.get("unit", ""),
                "history": row["history"],
                "next_last_year": row["next_last_year"],
                "system": row["system"],
                "adjusted": adjusted.get("value", ""),
                "reason": adjusted.get("reason", ""),
                "final": adjusted.get("value") or row["system"],
            }
        )
    return rows


def sales_report_sections(figures: dict, report: MonthlySalesReport | None = None) -> list[dict]:
    """The report as sections of tables, charts and texts (plain dicts): the page draws them, the API
    returns them, the reports framework turns them into the PDF and the workbook. Every chart's
    numbers are also in a table."""
    month = date.fromisoformat(figures["month"])
    previous, last_year = previous_month(month), month.replace(year=month.year - 1)
    m, p, y = f"{month:%Y-%m}", f"{previous:%Y-%m}", f"{last_year:%Y-%m}"
    mom, yoy = _("vs previous month %"), _("vs same month last year %")
    perf = figures["performance"]
    sales_rows = [
        {
            "indicator": _name(row),
            "unit": row.get("unit", ""),
            "month": row["month"],
            "previous": row["previous"],
            "last_year": row["last_year"],
            "mom": _change(row["month"], row["previous"]),
            "yoy": _change(row["month"], row["last_year"]),
        }
        for row in perf
    ]
    aum = figures["aum"]
    aum_rows = [
        {
            "what": _("AUM at the month's end"),
            "month": aum["month"],
            "previous": aum["previous"],
            "last_year": aum["last_year"],
            "mom": _change(aum["month"], aum["previous"]),
            "yoy": _change(aum["month"], aum["last_year"]),
        }
    ]
    holdings = figures["holdings"]
    section_a = {
        "key": "a",
        "title": _("a) Sales of your clients last month"),
        "blocks": [
            _table(
                _("Performance registrations"),
                [
                    _col("indicator", _("Indicator")),
                    _col("unit", _("Unit")),
                    _col("month", m, "number"),
                    _col("previous", p, "number"),
                    _col("last_year", y, "number"),
                    _col("mom", mom, "percent"),
                    _col("yoy", yoy, "percent"),
                ],
                sales_rows,
                testid="msr-performance",
            ),
            _chart(
                "msr-chart-performance",
                _("Performance registrations"),
                [row["indicator"] for row in sales_rows],
                [
                    (m, [_num(row["month"]) for row in perf]),
                    (p, [_num(row["previous"]) for row in perf]),
                    (y, [_num(row["last_year"]) for row in perf]),
                ],
            ),
            _table(
                _("Clients' AUM"),
                [
                    _col("what", ""),
                    _col("month", m, "money"),
                    _col("previous", p, "money"),
                    _col("last_year", y, "money"),
                    _col("mom", mom, "percent"),
                    _col("yoy", yoy, "percent"),
                ],
                aum_rows,
                note=_("The latest AUM recorded on or before each month's end, over %(n)d clients with AUM.")
                % {"n": aum["clients"]},
                testid="msr-aum",
            ),
            _chart(
                "msr-chart-aum",
                _("Clients' AUM"),
                [m, p, y],
                [(_("AUM"), [_num(aum["month"]), _num(aum["previous"]), _num(aum["last_year"])])],
            ),
            _table(
                _("Holdings by product line"),
                [
                    _col("line", _("Product line")),
                    _col("balance", _("Balance"), "money"),
                    _col("clients", _("Clients"), "int"),
                ],
                [
                    {"line": _name(row), "balance": row["balance"], "clients": row["clients"]}
                    for row in holdings
                ],
                note=_("Balances as they stand (on %(day)s): holdings keep no history.")
                % {"day": figures["as_of"]},
                testid="msr-holdings",
            ),
            _chart(
                "msr-chart-holdings",
                _("Holdings by product line"),
                [_name(row) for row in holdings],
                [(_("Balance"), [_num(row["balance"]) for row in holdings])],
                kind="pie",
            ),
        ],
    }
    noticed = figures["noticed"]
    drops = noticed["aum_drops"]
    overdue = noticed["overdue_key_clients"]
    repeats = noticed["repeat_complaints"]
    section_b = {
        "key": "b",
        "title": _("b) Problems, causes and countermeasures"),
        "text_field": "problems",
        "blocks": [
            _table(
                _("Clients whose AUM fell by %(n)d%% or more") % {"n": noticed["aum_drop_percent"]},
                [
                    _col("client", _("Client")),
                    _col("before", p, "money"),
                    _col("after", m, "money"),
                    _col("change", _("Change %"), "percent"),
                ],
                [
                    {"client": r["name"], "before": r["before"], "after": r["after"], "change": r["change"]}
                    for r in drops
                ],
                note=_more(noticed["aum_drop_count"], len(drops)),
                testid="msr-aum-drops",
            ),
            _table(
                _("Indicators behind their target"),
                [
                    _col("indicator", _("Indicator")),
                    _col("target", _("Target"), "number"),
                    _col("achieved", _("Achieved"), "number"),
                    _col("rate", _("Completion %"), "percent"),
                ],
                [
                    {
                        "indicator": _name(r),
                        "target": r["target"],
                        "achieved": r["achieved"],
                        "rate": r["rate"],
                    }
                    for r in noticed["behind_target"]
                ],
                testid="msr-behind",
            ),
            _table(
                _("Key clients overdue for a visit (on %(day)s)") % {"day": figures["as_of"]},
                [
                    _col("client", _("Client")),
                    _col("last", _("Last visit"), "date"),
                    _col("due", _("Visit due"), "date"),
                ],
                [
                    {"client": r["name"], "last": r["last_visited_on"], "due": r["next_due_on"]}
                    for r in overdue
                ],
                note=_more(noticed["overdue_key_count"], len(overdue)),
                testid="msr-overdue",
            ),
            _table(
                _("Repeat complaints"),
                [
                    _col("number", _("Ticket")),
                    _col("client", _("Client")),
                    _col("subject", _("Subject")),
                    _col("received", _("Received"), "date"),
                ],
                [
                    {
                        "number": r["number"],
                        "client": r["name"],
                        "subject": r["subject"],
                        "received": r["received_on"],
                    }
                    for r in repeats
                ],
                note=_more(noticed["repeat_count"], len(repeats)),
                testid="msr-repeats",
            ),
        ],
    }
    opinions = figures["opinions"]
    from amdesk.service.models.choices import TicketType

    types = dict(TicketType.choices)
    section_c = {
        "key": "c",
        "title": _("c) Main client opinions on goods and service"),
        "text_field": "opinions",
        "blocks": [
            _table(
                _("Client opinions and suggestions from the month's visits"),
                [
                    _col("on", _("Date"), "date"),
                    _col("client", _("Client")),
                    _col("text", _("Opinions and suggestions")),
                ],
                [{"on": r["on"], "client": r["name"], "text": r["text"]} for r in opinions["visits"]],
                note=_more(opinions["visit_count"], len(opinions["visits"])),
                testid="msr-opinions",
            ),
            _table(
                _("Special visits"),
                [_col("on", _("Date"), "date"), _col("client", _("Client")), _col("reason", _("Reason"))],
                [
                    {"on": r["on"], "client": r["name"], "reason": r["reason"]}
                    for r in opinions["special_visits"]
                ],
                note=_more(opinions["special_count"], len(opinions["special_visits"])),
                testid="msr-special",
            ),
            _table(
                _("Tickets opened"),
                [
                    _col("number", _("Ticket")),
                    _col("type", _("Type")),
                    _col("client", _("Client")),
                    _col("subject", _("Subject")),
                    _col("received", _("Received"), "date"),
                ],
                [
                    {
                        "number": r["number"],
                        "type": str(types.get(r["type"], r["type"])),
                        "client": r["name"],
                        "subject": r["subject"],
                        "received": r["received_on"],
                    }
                    for r in opinions["tickets"]
                ],
                note=_more(opinions["ticket_count"], len(opinions["tickets"])),
                testid="msr-tickets",
            ),
        ],
    }
    forecast_month = date.fromisoformat(figures["forecast"]["month"])
    months = [f"{_months_back(month, n):%Y-%m}" for n in reversed(range(FORECAST_MONTHS))]
    rows = forecast_rows(figures, report.forecast if report else {})
    next_year_ago = forecast_month.replace(year=forecast_month.year - 1)
    section_d = {
        "key": "d",
        "title": _("d) Forecast for %(month)s") % {"month": f"{forecast_month:%Y-%m}"},
        "text_field": "outlook",
        "method": _(
            "The system's forecast is the mean of the last three months' figures (%(months)s); the same "
            "month last year is shown for seasonality. Adjust it where you know better, with a reason."
        )
        % {"months": "、".join(months)},
        "forecast": rows,
        "blocks": [
            _table(
                _("Forecast by indicator"),
                [
                    _col("indicator", _("Indicator")),
                    *[_col(f"h{n}", label, "number") for n, label in enumerate(months)],
                    _col("next_last_year", f"{next_year_ago:%Y-%m}", "number"),
                    _col("system", _("System forecast"), "number"),
                    _col("adjusted", _("Adjusted"), "number"),
                    _col("reason", _("Reason")),
                ],
                [
                    {
                        "indicator": r["indicator"],
                        **{f"h{n}": value for n, value in enumerate(r["history"])},
                        "next_last_year": r["next_last_year"],
                        "system": r["system"],
                        "adjusted": r["adjusted"],
                        "reason": r["reason"],
                    }
                    for r in rows
                ],
                testid="msr-forecast",
            ),
            _chart(
                "msr-chart-forecast",
                _("Forecast by indicator"),
                [r["indicator"] for r in rows],
                [
                    (_("System forecast"), [_num(r["system"]) for r in rows]),
                    (_("Forecast used"), [_num(r["final"]) for r in rows]),
                ],
            ),
        ],
    }
    return [section_a, section_b, section_c, section_d]


# -- lists, the board and the desk ---------------------------------------------------------------


@dataclass
class ReportCell:
    """One account manager's report on one month: the report (None when not written), its due
    moment (from the calendar until first handed in), overdue when due and not handed in."""

    person: object
    month: date
    due_at: datetime
    report: MonthlySalesReport | None = None
    overdue: bool = False
    kind: str = "sales-report"

    @property
    def pending(self) -> bool:
        return self.report is None or self.report.state == DocState.DRAFT

    @property
    def state(self) -> str:
        if self.pending:
            return "missing" if self.overdue else "not_due"
        return self.report.state

    @property
    def label(self) -> str:
        return "" if self.pending else self.report.get_state_display()

    @property
    def late(self) -> bool:
        return self.report is not None and self.report.submitted_late

    @property
    def provisional(self) -> bool:
        return due_provisional(self.due_at)

    @property
    def url(self) -> str:
        return reverse("planning:sales-report", args=[f"{self.month:%Y-%m}"]) + f"?owner={self.person.pk}"


def report_cells(people: list, month: date, *, now: datetime | None = None) -> list[ReportCell]:
    """Each person's report on `month` with its state and overdue flag: one query."""
    now = now or timezone.now()
    month = month_start(month)
    due = sales_report_due_at(month)
    ids = [person.pk for person in people]
    found = (
        {
            report.owner_id: report
            for report in MonthlySalesReport.objects.filter(owner__in=ids, month=month).select_related(
                "reviewer"
            )
        }
        if ids
        else {}
    )
    cells = []
    for person in people:
        report = found.get(person.pk)
        stored = report is not None and report.submitted_at is not None
        cell = ReportCell(person, month, report.due_at if stored else due, report)
        cell.overdue = cell.pending and cell.due_at <= now
        cells.append(cell)
    return cells


def team_reports(*, viewer, month: date, now: datetime | None = None) -> list[ReportCell]:
    """The account managers in the viewer's scope (not himself) and their report on `month`."""
    from .logs import account_managers_for

    people = [
        person for person in account_managers_for(viewer).select_related("org_node") if person.pk != viewer.pk
    ]
    return report_cells(people, month, now=now)


def board_month(board_start: date, board_month_first: date) -> date:
    """The report month the board shows: the one due in the board's month (the previous month's)."""
    return previous_month(month_start(board_month_first))


@dataclass
class SalesReportDesk:
    own_month: date | None = None
    own_overdue: bool = False
    own_state: str = ""
    own_url: str = ""
    team_overdue: int = 0
    waiting: int = 0
    overdue_people: list = field(default_factory=list)


def sales_report_desk(
    user, *, today: date, now: datetime | None = None, is_account_manager: bool = True, oversees: bool = False
) -> dict:
    """The desk's figures: the user's own report on last month (overdue or not); for someone
    overseeing others, how many of their reports on last month are overdue and how many wait for
    his reading. A fixed number of queries."""
    now = now or timezone.now()
    month = report_month(today)
    figures = {"sales_report_month": month}
    if is_account_manager:
        cell = report_cells([user], month, now=now)[0]
        figures.update(
            sales_report_overdue=cell.overdue,
            sales_report_state=cell.state,
            sales_report_label=cell.label,
            sales_report_url=reverse("planning:sales-report", args=[f"{month:%Y-%m}"]),
        )
    if oversees:
        cells = team_reports(viewer=user, month=month, now=now)
        figures["team_sales_reports_overdue"] = sum(cell.overdue for cell in cells)
        figures["sales_reports_waiting"] = (
            sales_reports_for(user).exclude(owner=user).filter(state=DocState.SUBMITTED).count()
        )
    return figures


def handed_in(report) -> bool:
    return report is not None and report.state in HANDED_IN_STATES


__all__ = [
    "ReportCell",
    "access_sales_report",
    "board_month",
    "forecast_rows",
    "own_clients",
    "report_cells",
    "report_figures",
    "sales_report_desk",
    "sales_report_figures",
    "sales_report_sections",
    "sales_reports_for",
    "team_reports",
]
