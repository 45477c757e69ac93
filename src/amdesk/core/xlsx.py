"""A page's table as an .xlsx download: the same rows and columns the page shows, written by the view
from the context it renders, and one audit entry per export.

    if wants_xlsx(request):
        return xlsx_download(request, event=AuditEvent.…, filename="…", title=…, header=[…], rows=[…])

Cells are written as their type: numbers as numbers (a percentage as its number, the header says
"%"), None as an empty cell, everything else as text. Text never becomes a formula or a link
(strings_to_formulas/urls off; see ENGINEERING-NOTES): names typed by people stay names.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .audit import audit_record

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def export_url(request: HttpRequest) -> str:
    """The page's own address and filters, asking for the .xlsx."""
    query = request.GET.copy()
    query["format"] = "xlsx"
    return f"{request.path}?{query.urlencode()}"


def _sheet_name(title: str) -> str:
    name = "".join("_" if ch in FORBIDDEN_IN_SHEET_NAMES else ch for ch in title).strip()
    return (name or "Sheet1")[:SHEET_NAME_MAX]


def _write(sheet, row: int, col: int, value: Any, fmt=None) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, str(value), fmt)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, datetime):
        sheet.write_string(row, col, timezone.localtime(value).strftime("%Y-%m-%d %H:%M"), fmt)
    elif isinstance(value, date):
        sheet.write_string(row, col, value.isoformat(), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def table_xlsx(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    totals: Sequence[Any] | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """One sheet: the title, notes, the header row, the rows and an optional total row (bold)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_sheet_name(str(title)))
    sheet.write_string(0, 0, str(title), bold)
    line = 1
    for note in notes:
        sheet.write_string(line, 0, str(note))
        line += 1
    line += 1
    for col, label in enumerate(header):
        sheet.write_string(line, col, str(label), bold)
    sheet.freeze_panes(line + 1, 1)
    for values in rows:
        line += 1
        for col, value in enumerate(values):
            _write(sheet, line, col, value)
    if totals is not None:
        line += 1
        for col, value in enumerate(totals):
            _write(sheet, line, col, value, bold)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, max(len(header) - 1, 1), 14)
    book.close()
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_download(
    request: HttpRequest,
    *,
    event,
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    totals: Sequence[Any] | None = None,
    notes: Sequence[str] = (),
) -> HttpResponse:
    """The workbook as a download, and the audit entry saying who exported which page's table."""
    content = table_xlsx(title=title, header=header, rows=rows, totals=totals, notes=notes)
    query = {key: value for key, value in request.GET.items() if key != "format"}
    audit_record(
        event=event,
        actor=request.user,
        request=request,
        detail={"page": request.path, "query": query, "rows": len(rows)},
    )
    return xlsx_response(content, filename)
