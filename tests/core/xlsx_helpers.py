"""Reading back a page's .xlsx export (core/xlsx.py): the header row and the rows under it."""

import io

import openpyxl


def sheet_table(content: bytes) -> tuple[list, list[list]]:
    """(header, rows) of the first sheet: the header is the row after the first empty one."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    blank = next(n for n, line in enumerate(lines) if n and all(cell is None for cell in line))
    return lines[blank + 1], lines[blank + 2 :]


def first_column(rows: list[list]) -> list:
    return [row[0] for row in rows]
