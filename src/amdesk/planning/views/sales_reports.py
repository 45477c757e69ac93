"""The monthly client sales analysis report 客户月度销售情况分析报告: the account manager's page for a
month (the computed sections, his text for b) c) d) and the adjusted forecast; save, submit), the
same page for his supervisor (?owner=: comment, mark read, return), the list of his reports and his
team's, and the download of one report as PDF or .xlsx (reports framework)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.templatetags.amdesk import money
from amdesk.orgs.access import access_staff, may_hand_over

from .. import services
from ..models import MonthlySalesReport, PlanningSettings
from ..selectors import previous_month
from ..selectors.logs import AM_ROLE
from ..selectors.sales_report import (
    access_sales_report,
    report_figures,
    sales_report_sections,
    sales_reports_for,
    team_reports,
)
from ..services.documents import due_provisional, shown_due_at
from ..services.sales_reports import (
    TEXT_FIELDS,
    next_month,
    report_month,
    sales_report_due_at,
    sales_report_save,
)
from ..workflow import DocState
from .common import int_or_none, message_of, parse_month


def _text(value, kind: str, signed: bool = False) -> str:
    """A cell as the page shows it: changes with their sign, rates without; numbers as the PDF and
    the workbook show them (whole numbers without decimals)."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        if not isinstance(value, int | float):
            return f"{value}%"
        return f"{value:+.1f}%" if signed else f"{value:.1f}%"
    if kind == "money":
        return money(value)
    if kind == "number":
        number = Decimal(str(value))
        return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    return str(value)


def _prepare(block: dict) -> dict:
    """Cells as display text (tables), and a chart's numbers as a table too."""
    if block["type"] == "chart":
        block["columns"] = [{"label": "", "kind": "text"}] + [
            {"label": series["name"], "kind": "number"} for series in block["series"]
        ]
        block["cells"] = [
            [{"text": category, "num": False}]
            + [{"text": _text(series["values"][n], "number"), "num": True} for series in block["series"]]
            for n, category in enumerate(block["categories"])
        ]
    else:
        block["cells"] = [
            [
                {
                    "text": _text(row.get(column["key"]), column["kind"], column.get("signed", False)),
                    "num": column["kind"] != "text",
                }
                for column in block["columns"]
            ]
            for row in block["rows"]
        ]
    return block


def _url(month, owner, is_own) -> str:
    url = reverse("planning:sales-report", args=[f"{month:%Y-%m}"])
    return url if is_own else f"{url}?owner={owner.pk}"


def _posted_forecast(post) -> dict:
    """{item id: {"value", "reason"}} from the form's forecast-<id> and reason-<id> fields."""
    found = {}
    for key, value in post.items():
        if key.startswith("forecast-"):
            item = key.removeprefix("forecast-")
            found[item] = {"value": value, "reason": post.get(f"reason-{item}", "")}
    return found


def _step_label(decision: str) -> str:
    return {
        "return": _("Returned for changes."),
        "review": _("Marked as read."),
        "submit": _("Submitted to your supervisor."),
    }.get(decision, _("Saved."))


@login_required
@require_GET
def sales_report_home_view(request):
    """The report the account manager works on now: last month's."""
    month = report_month(timezone.localdate())
    return redirect("planning:sales-report", f"{month:%Y-%m}")


@login_required
@require_http_methods(["GET", "POST"])
def sales_report_view(request, period: str):
    today = timezone.localdate()
    month = parse_month(period, today)
    owner_id = int_or_none(request.GET.get("owner"))
    owner = access_staff(request.user, owner_id) if owner_id and owner_id != request.user.pk else request.user
    is_own = owner.pk == request.user.pk
    report = sales_reports_for(request.user).filter(owner=owner, month=month).first()
    month_over = next_month(month) <= today
    editable = is_own and month_over and (report is None or report.is_editable)
    typed = None  # what was typed, kept when the save is refused
    errors: dict = {}
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            with transaction.atomic():  # saved and submitted together, or neither
                if decision in ("review", "return"):
                    if report is None:
                        raise ValidationError(_("There is nothing to review yet."))
                    services.document_transition(
                        actor=request.user,
                        document=report,
                        action=decision,
                        version=int_or_none(request.POST.get("version")),
                        comment=request.POST.get("comment", ""),
                        request=request,
                    )
                else:
                    if not editable:
                        raise PermissionDenied(_("This document can no longer be changed here."))
                    typed = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
                    typed["forecast"] = _posted_forecast(request.POST)
                    report, _changed = sales_report_save(
                        actor=request.user,
                        month=month,
                        data=typed,
                        expected_version=int_or_none(request.POST.get("version")) or 0,
                        request=request,
                    )
                    if decision == "submit":
                        services.document_transition(
                            actor=request.user, document=report, action="submit", request=request
                        )
        except services.StaleDocument as exc:
            messages.error(request, message_of(exc))
            status = 409
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            messages.error(request, message_of(exc))
            status = 400
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            status = 403
        else:
            messages.success(request, _step_label(decision))
            return redirect(_url(month, owner, is_own))
        if status != 400:
            typed = None
        report = sales_reports_for(request.user).filter(owner=owner, month=month).first()
    figures = report_figures(report, owner=owner, month=month, today=today)
    sections = sales_report_sections(figures, report)
    texts = {name: getattr(report, name) if report else "" for name in TEXT_FIELDS}
    adjustments = dict(report.forecast) if report else {}
    if typed is not None:
        texts.update({name: typed[name] for name in TEXT_FIELDS})
        adjustments = typed["forecast"]
    for section in sections:
        if section.get("text_field"):
            section["text"] = texts[section["text_field"]]
            section["errors"] = errors.get(section["text_field"], [])
        if section["key"] == "d":
            for row in section["forecast"]:
                typed_row = adjustments.get(str(row["item"])) or {}
                row["typed_value"] = typed_row.get("value", "")
                row["typed_reason"] = typed_row.get("reason", "")
                row["value_errors"] = errors.get(f"forecast-{row['item']}", [])
                row["reason_errors"] = errors.get(f"reason-{row['item']}", [])
    for section in sections:
        for block in section["blocks"]:
            _prepare(block)
    charts = [block for section in sections for block in section["blocks"] if block["type"] == "chart"]
    due = shown_due_at(report) if report else sales_report_due_at(month)
    # not handed in (none or a draft) once its due moment has passed: overdue, as on the board
    overdue = (report is None or report.state == DocState.DRAFT) and month_over and due <= timezone.now()
    context = {
        "month": month,
        "owner": owner,
        "is_own": is_own,
        "report": report,
        "sections": sections,
        "charts": charts,
        "due": due,
        "due_provisional": due_provisional(due),
        "overdue": overdue,
        "editable": editable,
        "month_over": month_over,
        "general_errors": errors.get("__all__", []) + errors.get("forecast", []),
        "version": report.version if report else 0,
        "may_decide": report is not None
        and report.state == DocState.SUBMITTED
        and services.may_review(request.user, report, in_scope=True),
        "events": list(report.events.select_related("actor")) if report else [],
        "previous": f"{previous_month(month):%Y-%m}",
        "next": f"{next_month(month):%Y-%m}",
        "owner_query": "" if is_own else f"?owner={owner.pk}",
    }
    return render(request, "planning/sales_report.html", context, status=status)


@login_required
@require_GET
def sales_report_list_view(request):
    """The user's own reports (latest first) and, for someone overseeing others, his team's reports
    on a month (?month=, last month by default) with state, due moment and lateness."""
    today = timezone.localdate()
    month = (
        parse_month(request.GET.get("month"), report_month(today))
        if request.GET.get("month")
        else report_month(today)
    )
    own = list(MonthlySalesReport.objects.filter(owner=request.user).select_related("reviewer")[:24])
    # Each own report's due moment as the page shows it, and overdue while a draft past it; the report
    # on last month overdue when not even started. One settings read.
    settings, now, current = PlanningSettings.current(), timezone.now(), report_month(today)
    for report in own:
        report.shown_due_at = shown_due_at(report, settings)
        report.overdue = report.state == DocState.DRAFT and report.shown_due_at <= now
    started = any(report.month == current for report in own)
    context = {
        "month": month,
        "own": own,
        # someone who writes reports: an account manager, or anyone who wrote one
        "writes": bool(own) or request.user.roles.filter(code=AM_ROLE).exists(),
        "current_overdue": not started and sales_report_due_at(current, settings) <= now,
        "current": current,
        "oversees": may_hand_over(request.user),
        "previous": previous_month(month),
        "next": next_month(month),
    }
    if context["oversees"]:
        context["team"] = team_reports(viewer=request.user, month=month)
    return render(request, "planning/sales_report_list.html", context)


@login_required
@require_GET
def sales_report_download_view(request, pk: int):
    """One report as PDF or .xlsx (?format=pdf|xlsx), for whoever may read it; audited."""
    report = access_sales_report(request.user, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "xlsx"):
        raise Http404("No such format.")
    from amdesk.reports.framework.render import render_pdf, render_xlsx
    from amdesk.reports.generators.monthly_sales import MonthlySalesReportGenerator

    data = MonthlySalesReportGenerator.for_document(report, request.user).gather()
    body = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    audit_record(
        event=AuditEvent.SALES_REPORT_DOWNLOADED,
        actor=request.user,
        request=request,
        target=report,
        detail={"format": fmt, "month": f"{report.month:%Y-%m}", "owner": report.owner_id},
    )
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(body, content_type=content_type)
    name = f"monthly-sales-{report.owner.employee_no or report.owner_id}-{report.month:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
