"""Masking of personal data on screens, in API responses, exports and logs.

How much of each kind stays visible is configuration (AMDESK_MASKING), not code.
"""

from django.conf import settings

MASK_CHAR = "*"


def mask(value: str | None, kind: str) -> str:
    """Keep the configured head and tail of `value` and star the rest (`kind`: id_number, mobile, card)."""
    if not value:
        return ""
    head, tail = settings.AMDESK_MASKING[kind]
    if len(value) <= head + tail:
        return MASK_CHAR * len(value)
    return value[:head] + MASK_CHAR * (len(value) - head - tail) + value[len(value) - tail :]
