"""ReportData → plain JSON-ready data (the API, and the page's charts through json_script)."""

from __future__ import annotations

from .base import Chart, ReportData, Table, Text
from .values import ROW_KIND, is_subtotal, plain


def table_json(table: Table) -> dict:
    return {
        "type": "table",
        "title": str(table.title),
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": [
            {
                **{c.key: plain(row.get(c.key)) for c in table.columns},
                "subtotal": is_subtotal(row),
            }
            for row in table.rows
        ],
        "totals": {c.key: plain(table.totals.get(c.key)) for c in table.columns} if table.totals else None,
        "note": str(table.note),
    }


def chart_json(chart: Chart) -> dict:
    return {
        "type": "chart",
        "title": str(chart.title),
        "kind": chart.kind,
        "unit": str(chart.unit),
        "categories": [str(c) for c in chart.categories],
        "series": [{"name": str(s.name), "values": [plain(v) for v in s.values]} for s in chart.series],
    }


def block_json(block) -> dict:
    if isinstance(block, Table):
        return table_json(block)
    if isinstance(block, Chart):
        return chart_json(block)
    if isinstance(block, Text):
        return {"type": "text", "title": str(block.title), "body": block.body, "items": list(block.items)}
    raise TypeError(type(block))


def report_json(data: ReportData) -> dict:
    return {
        "title": str(data.title),
        "subtitle": str(data.subtitle),
        "period_label": str(data.period_label),
        "notes": [str(n) for n in data.notes],
        "sections": [
            {"title": str(s.title), "blocks": [block_json(b) for b in s.blocks]} for s in data.sections
        ],
    }


__all__ = ["ROW_KIND", "block_json", "report_json"]
