from django import template

from ..framework.base import Chart, Table, Text
from ..framework.values import cell_text
from ..framework.values import is_subtotal as _is_subtotal

register = template.Library()


@register.filter
def block_kind(block) -> str:
    if isinstance(block, Table):
        return "table"
    if isinstance(block, Chart):
        return "chart"
    if isinstance(block, Text):
        return "text"
    return ""


@register.filter
def cell(row: dict, column) -> str:
    return cell_text(row.get(column.key), column.kind)


@register.filter
def is_subtotal(row: dict) -> bool:
    return _is_subtotal(row)


@register.filter
def lookup_id(index: dict, block) -> str:
    return index.get(id(block), "")
