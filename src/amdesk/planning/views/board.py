"""The supervisor's team board: per account manager in scope, the period's work logs and each weekly
and monthly document with its state and whether it is overdue, each linking to the document; the
monthly sales analysis report due in the period (last month's); and the same table as .xlsx
(?format=xlsx)."""

import io
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors
from ..selectors.plans import MONTH, SCHEDULE, TARGETS, WEEK
from ..selectors.sales_report import board_sales_reports
from ..services.plans import ARRANGEMENT, KINDS, MONTHLY_PLAN, MONTHLY_SUMMARY, WEEKLY_SUMMARY
from .common import parse_day

COLUMNS = (SCHEDULE, ARRANGEMENT, WEEKLY_SUMMARY, TARGETS, MONTHLY_PLAN, MONTHLY_SUMMARY)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_text(cell) -> str:
    missing = _("Missing") if cell.overdue else _("Not yet due")
    text = missing if cell.pending else str(cell.label)
    if getattr(cell, "late", False):
        text += f" ({_('late')})"
    return text


def _xlsx(board, period: str) -> HttpResponse:
    import xlsxwriter

    headers = [
        _("Account manager"),
        _("Org node"),
        _("Work logs handed in"),
        _("Work logs missing"),
        _("Weekly visit schedule"),
        _("Weekly work arrangement"),
        _("Weekly summary"),
        f"{_('Monthly targets')} {board.month:%Y-%m}",
        _("Monthly work plan"),
        f"{_('Monthly summary')} {board.summary_month:%Y-%m}",
        f"{_('Monthly sales analysis report')} {board.summary_month:%Y-%m}",
        _("Overdue"),
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Team board")[:31])
    bold = book.add_format({"bold": True})
    title = (
        f"{_('Team board')} {board.start:%Y-%m}"
        if period == MONTH
        else f"{_('Team board')} {board.start:%Y-%m-%d} – {board.end:%m-%d}"
    )
    sheet.write(0, 0, title, bold)
    sheet.write_row(2, 0, headers, bold)
    for n, row in enumerate(board.rows, start=3):
        values = [
            row.person.full_name,
            getattr(row.person.org_node, "name", ""),
            row.logs_handed_in,
            row.logs_missing,
        ]
        for cells in row.columns:
            values.append("、".join(_cell_text(cell) for cell in cells))
        values.append(_cell_text(row.sales_report))
        values.append(row.overdue + int(row.sales_report.overdue))
        sheet.write_row(n, 0, values)
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, len(headers), 14)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="team-board-{board.start:%Y-%m-%d}.xlsx"'
    return response


@login_required
@require_GET
def board_view(request):
    today = timezone.localdate()
    period = MONTH if request.GET.get("period") == MONTH else WEEK
    day = parse_day(request.GET.get("date"), today)
    board = selectors.team_board(viewer=request.user, period=period, day=day)
    if period == WEEK:
        previous, following = board.start - timedelta(days=7), board.start + timedelta(days=7)
    else:
        previous, following = selectors.previous_month(board.start), board.end + timedelta(days=1)
    # The monthly sales analysis report due in the board's month: last month's (one query).
    board_sales_reports(board)
    for row in board.rows:
        row.columns = [row.cells[code] for code in COLUMNS]
    if request.GET.get("format") == "xlsx":
        return _xlsx(board, period)
    context = {
        "board": board,
        "period": period,
        "previous": previous,
        "next": following,
        "headers": [KINDS[code].label if code in KINDS else None for code in COLUMNS],
        "overdue_people": sum(1 for row in board.rows if row.overdue or row.sales_report.overdue),
        "reports_overdue": sum(1 for row in board.rows if row.sales_report.overdue),
    }
    return render(request, "planning/board.html", context)
