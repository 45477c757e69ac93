"""How the monthly sales analysis report is shown: its computed parts (figures.py) as sections of
tables, charts and texts, shared by the page, the API and the PDF/xlsx."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from amdesk.core.i18n import localized

from ...models import MonthlySalesReport
from ..targets import previous_month
from .figures import FORECAST_MONTHS, _change, _months_back


def _name(row: dict) -> str:
    return localized(row.get("name", ""), row.get("name_en", ""))


def _num(text) -> float:
    return float(Decimal(text or 0))


def _col(key: str, label, kind: str = "text", *, signed: bool = False) -> dict:
    """A column; `signed` percentages are changes (+/−), the others rates or shares."""
    return {"key": key, "label": str(label), "kind": kind, "signed": signed}


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
                    _col("mom", mom, "percent", signed=True),
                    _col("yoy", yoy, "percent", signed=True),
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
                    _col("mom", mom, "percent", signed=True),
                    _col("yoy", yoy, "percent", signed=True),
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
                [
                    (
                        _("AUM at the month's end"),
                        [_num(aum["month"]), _num(aum["previous"]), _num(aum["last_year"])],
                    )
                ],
            ),
            _table(
                _("Holdings by product line"),
                [
                    _col("line", _("Product line")),
                    _col("balance", _("Balance"), "money"),
                    _col("clients", _("Clients holding"), "int"),
                ],
                [
                    {"line": _name(row), "balance": row["balance"], "clients": row["clients"]}
                    for row in holdings
                ],
                note=_(
                    "Balances as they stand on %(day)s: holdings keep no history, so they are not "
                    "compared with earlier months."
                )
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
                    _col("change", _("Change %"), "percent", signed=True),
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
                    _col("received", _("Received on"), "date"),
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
                [
                    _col("on", _("Date"), "date"),
                    _col("client", _("Client")),
                    _col("reason", _("Reason")),
                    _col("text", _("Opinions and suggestions")),
                ],
                [
                    {"on": r["on"], "client": r["name"], "reason": r["reason"], "text": r.get("text", "")}
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
                    _col("received", _("Received on"), "date"),
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
            "The system's forecast is the mean of the last three months' figures (%(months)s), with the "
            "same month last year beside it to judge the season. Adjust it where you know better, with a "
            "reason."
        )
        % {"months": "、".join(months)},
        "forecast": rows,
        # the columns of history the editable forecast shows beside each row (as the table below)
        "history_labels": [*months, f"{next_year_ago:%Y-%m}"],
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
