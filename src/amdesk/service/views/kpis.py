"""The service manager's page: the three targets side by side per AM, team or branch and period,
valid and repeat complaints, and the tickets that breached a deadline."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from amdesk.core.audit_events import AuditEvent
from amdesk.core.i18n import quarter_label
from amdesk.core.xlsx import export_url, wants_xlsx, xlsx_download

from .. import selectors
from ..selectors.pages import breaches_for
from .common import clock_of

GROUP_LABELS = {
    "owner": gettext_lazy("Per account manager"),
    "team": gettext_lazy("Per team"),
    "branch": gettext_lazy("Per branch"),
}
PERIODS = {
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "custom": gettext_lazy("Custom"),
}
BREACH_ROWS = 100


def _month(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_of(params, today: date) -> tuple[str, date, date, dict]:
    """(kind, start, end, the values the form shows) from the page's query; this month by default."""
    kind = params.get("period", "month")
    if kind not in PERIODS:
        kind = "month"
    if kind == "quarter":
        value = params.get("quarter", "")
        try:
            year, q = value.split("-Q")
            year, q = int(year), int(q)
            if not 1 <= q <= 4:
                raise ValueError
        except ValueError:
            year, q = today.year, (today.month - 1) // 3 + 1
        start = date(year, 3 * (q - 1) + 1, 1)
        end = _month_end(date(year, 3 * q, 1))
        return kind, start, end, {"quarter": f"{year}-Q{q}"}
    if kind == "custom":
        start = parse_date(params.get("start", "") or "") or today.replace(day=1)
        end = parse_date(params.get("end", "") or "") or today
        if end < start:
            start, end = end, start
        end = min(end, start + timedelta(days=366))  # one year at most per view
        return kind, start, end, {"start": start, "end": end}
    first = _month(params.get("month", ""), today)
    return kind, first, _month_end(first), {"month": first.strftime("%Y-%m")}


def _quarters(today: date) -> list[tuple[str, str]]:
    """The last eight quarters: (the parameter's value, e.g. 2026-Q4; its label, 2026年第4季度)."""
    found, year, q = [], today.year, (today.month - 1) // 3 + 1
    for _step in range(8):
        found.append((f"{year}-Q{q}", quarter_label(year, q)))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return found


@login_required
@require_GET
def kpis_view(request):
    now = timezone.now()
    today = timezone.localdate()
    kind, start, end, shown = period_of(request.GET, today)
    group_by = request.GET.get("group", "owner")
    if group_by not in selectors.GROUPS:
        group_by = "owner"
    report = selectors.service_kpis(viewer=request.user, start=start, end=end, group_by=group_by, now=now)
    rows = [{"kpis": row, "meets": report.meets(row)} for row in report.rows]
    breaches = list(breaches_for(request.user, start=start, end=end, now=now)[: BREACH_ROWS + 1])
    for ticket in breaches:
        ticket.clock = clock_of(ticket, now)
    context = {
        "report": report,
        "rows": rows,
        "total": {"kpis": report.total, "meets": report.meets(report.total)},
        "group_by": group_by,
        "groups": GROUP_LABELS,
        "period": kind,
        "periods": PERIODS,
        "shown": shown,
        "start": start,
        "end": end,
        "quarters": _quarters(today),
        "breaches": breaches[:BREACH_ROWS],
        "breaches_more": len(breaches) > BREACH_ROWS,
        "title": _("Service KPIs"),
        "export_url": export_url(request),
    }
    if wants_xlsx(request):
        return _kpis_xlsx(request, context)
    return render(request, "service/kpis.html", context)


def _kpis_xlsx(request, context):
    """The KPI table as the page shows it: its rows and total row; the counts a cell shows under its
    rate (timely/due, handled/received, satisfied/rated) get their own columns."""
    report = context["report"]
    group_by = context["group_by"]
    first = (
        {"owner": _("Account manager"), "team": _("Team")}.get(group_by) or report.branch_label or _("Branch")
    )
    header = [
        first,
        _("Tickets received"),
        _("Timely first feedback") + " (%)",
        _("Timely first feedback") + " · " + _("timely"),
        _("Timely first feedback") + " · " + _("due"),
        _("Handling rate") + " (%)",
        _("Handling rate") + " · " + _("handled"),
        _("Satisfaction rate") + " (%)",
        _("Satisfaction rate") + " · " + _("satisfied"),
        _("Satisfaction rate") + " · " + _("rated"),
        _("Valid complaints"),
        _("Repeat complaints"),
        _("Deadlines missed"),
    ]

    def cells(k, label):
        return [
            label,
            k.received,
            k.first_feedback_rate,
            k.first_feedback_timely,
            k.first_feedback_due,
            k.handling_rate,
            k.handled,
            k.satisfaction_rate,
            k.satisfied,
            k.rated,
            k.valid_complaints,
            k.repeat_complaints,
            k.breaches,
        ]

    rows = [cells(row["kpis"], row["kpis"].label or "—") for row in context["rows"]]
    totals = cells(report.total, pgettext("table total row", "Total")) if len(rows) > 1 else None
    return xlsx_download(
        request,
        event=AuditEvent.SERVICE_KPIS_EXPORTED,
        filename=f"service-kpis-{context['start']:%Y%m%d}-{context['end']:%Y%m%d}.xlsx",
        title=f"{_('Service KPIs')} {context['start']:%Y-%m-%d} – {context['end']:%Y-%m-%d}",
        header=header,
        rows=rows,
        totals=totals,
        notes=[
            _(
                "Targets: timely first feedback %(first)s%%, handling rate %(handling)s%%, satisfaction rate "
                "%(satisfaction)s%%."
            )
            % {
                "first": report.targets.first_feedback,
                "handling": report.targets.handling,
                "satisfaction": report.targets.satisfaction,
            }
        ],
    )
