"""How a cell's value reads in every output, by Column.kind, and how a roll-up row is marked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

# A row dict with ROW_KIND set to SUBTOTAL (a team's or a branch's sum) is shown in bold by every
# formatter; the report's grand total goes in Table.totals instead.
ROW_KIND = "_kind"
SUBTOTAL = "subtotal"


def is_subtotal(row: dict) -> bool:
    return row.get(ROW_KIND) == SUBTOTAL


def plain(value: Any) -> Any:
    """A JSON- and spreadsheet-friendly value: Decimal → float, date → ISO text, lazy text → str."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_text(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return f"{float(value):.1f}%"
    if kind == "money" and isinstance(value, int | float | Decimal):
        return f"{float(value):,.2f}"
    if kind == "int" and isinstance(value, int | float | Decimal):
        return f"{int(value):,}"
    if kind == "number" and isinstance(value, int | float | Decimal):
        number = float(value)
        return f"{int(number):,}" if number == int(number) else f"{number:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
