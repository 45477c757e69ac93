from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import pgettext

from amdesk.core.masking import mask as mask_value

register = template.Library()


@register.filter
def mask(value, kind: str) -> str:
    """Personal data as screens show it: `{{ client.mobile|mask:"mobile" }}`."""
    return mask_value(value, kind)


@register.filter
def get_item(mapping, key):
    """`{{ scores|get_item:code }}`: a dict value by a key held in a variable."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def money(value) -> str:
    """An amount with thousands separators and two decimals (1,234,567.89), as bank statements show it."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


@register.simple_tag
def colon() -> str:
    """The separator between a label and its value: "：" in Chinese, ": " in English."""
    return pgettext("label separator", ": ")
