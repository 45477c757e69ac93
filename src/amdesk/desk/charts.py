"""A desk chart: one table (a category column and value columns) drawn by ECharts, shown as a
table on demand and exported to .xlsx. The same rows feed all three, so what a chart shows, its
table and its export never disagree.

kind: "bar", "stack" (stacked bars), "line", "pie" (the first value column), "hbar" (horizontal
bars, for rankings) or "heatmap" (rows × value columns, each cell a value 0–100).
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import xlsxwriter

KINDS = ("bar", "stack", "line", "pie", "hbar", "heatmap")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class Chart:
    key: str
    title: str
    kind: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Charts of clients' figures (AUM, tiers, tickets): their export is audited.
    client_data: bool = False
    # The value columns drawn, by index (default: every column but the first).
    series: tuple[int, ...] = ()
    note: str = ""
    # Per row, where its first cell links to (e.g. the 360° page of the account manager it is about).
    links: list[str] = field(default_factory=list)
    export_url: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(self.kind)

    @property
    def drawn(self) -> tuple[int, ...]:
        return self.series or tuple(range(1, len(self.columns)))

    @property
    def empty(self) -> bool:
        return not self.rows

    def table(self) -> list[tuple[str, list]]:
        """(link or "", row) per row, for the table view."""
        links = self.links or [""] * len(self.rows)
        return list(zip(links, self.rows, strict=False))

    def payload(self) -> dict:
        """What desk.js draws: categories, and one series per drawn column."""
        return {
            "kind": self.kind,
            "categories": [str(_plain(row[0])) for row in self.rows],
            "columns": [str(self.columns[index]) for index in range(1, len(self.columns))],
            "series": [
                {"name": str(self.columns[index]), "data": [_plain(row[index]) for row in self.rows]}
                for index in self.drawn
            ],
        }

    def xlsx(self) -> bytes:
        buffer = io.BytesIO()
        # Never a formula from a cell's text (a client or indicator named "=…").
        book = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        sheet = book.add_worksheet(self.key[:31])
        bold = book.add_format({"bold": True})
        sheet.write(0, 0, str(self.title), bold)
        for column, title in enumerate(self.columns):
            sheet.write(2, column, str(title), bold)
            sheet.set_column(column, column, 14 if column else 20)
        for number, row in enumerate(self.rows, 3):
            for column, value in enumerate(row):
                value = _plain(value)
                if value is None:
                    continue
                if isinstance(value, int | float):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, str(value))
        book.close()
        return buffer.getvalue()
