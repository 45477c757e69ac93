"""ReportData → .xlsx (XlsxWriter): one sheet with the title, then every section's blocks stacked;
charts are written as their table. Strings are never formulas (a client's name starting with "="
stays text)."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter

from .base import Chart, ReportData, Table, Text
from .values import is_subtotal, plain

_FORMATS = {
    "int": "#,##0",
    "number": "#,##0.##",
    "money": "#,##0.00",
    "percent": '0.0"%"',
    "date": "yyyy-mm-dd",
}


def render_xlsx(data: ReportData) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_sheet_name(str(data.title)))
    title = book.add_format({"bold": True, "font_size": 14})
    heading = book.add_format({"bold": True, "font_size": 12})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#EBEEF4", "border": 1, "text_wrap": True})
    plain_fmt = {kind: book.add_format({"num_format": fmt}) for kind, fmt in _FORMATS.items()}
    bold_fmt = {kind: book.add_format({"num_format": fmt, "bold": True}) for kind, fmt in _FORMATS.items()}
    widths: dict[int, float] = {}

    row = 0
    sheet.write(row, 0, str(data.title), title)
    row += 1
    for line in [data.subtitle, data.period_label, *data.notes]:
        if line:
            sheet.write(row, 0, str(line))
            row += 1
    for section in data.sections:
        row += 1
        sheet.write(row, 0, str(section.title), heading)
        row += 1
        for block in section.blocks:
            if isinstance(block, Chart):
                block = block.as_table()
            if isinstance(block, Table):
                if block.title:
                    sheet.write(row, 0, str(block.title), bold)
                    row += 1
                for n, col in enumerate(block.columns):
                    sheet.write_string(row, n, str(col.label), header)
                    widths[n] = max(widths.get(n, 8), _width(str(col.label)))
                row += 1
                lines = [(r, is_subtotal(r)) for r in block.rows]
                if block.totals:
                    lines.append((block.totals, True))
                for values, strong in lines:
                    formats = bold_fmt if strong else plain_fmt
                    for n, col in enumerate(block.columns):
                        value = values.get(col.key)
                        _write(sheet, row, n, value, formats.get(col.kind), bold if strong else None)
                        if isinstance(value, str):
                            widths[n] = max(widths.get(n, 8), _width(value))
                    row += 1
                if block.note:
                    sheet.write(row, 0, str(block.note))
                    row += 1
                row += 1
            elif isinstance(block, Text):
                if block.title:
                    sheet.write(row, 0, str(block.title), bold)
                    row += 1
                for paragraph in [p for p in block.body.split("\n\n") if p.strip()]:
                    sheet.write_string(row, 0, paragraph.strip())
                    row += 1
                for item in block.items:
                    sheet.write_string(row, 0, f"• {item}")
                    row += 1
                row += 1
    for n, width in widths.items():
        sheet.set_column(n, n, min(width, 50))
    book.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, number_format, text_format) -> None:
    if value is None:
        sheet.write_blank(row, col, None, text_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, text_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), number_format or text_format)
    else:
        sheet.write_string(row, col, str(plain(value)), text_format)


def _width(text: str) -> float:
    # CJK characters are about twice as wide as Latin ones in a spreadsheet column.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def _sheet_name(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Report")[:31]
