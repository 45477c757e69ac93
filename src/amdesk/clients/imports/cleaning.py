"""Cell values as hand-made lists hold them, turned into what the archive stores.

Full-width digits and letters (typed with a Chinese input method), stray and invisible spaces,
dates in the ways people write them or as Excel serial numbers, and numbers Excel made of IDs.
"""

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amdesk.clients.identity import _INVISIBLE

# Full-width digits and Latin letters (a Chinese input method types them) and the ideographic
# space become ASCII; Chinese punctuation （），！ stays, it is part of names and addresses.
_ALNUM = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
_TRANSLATION = str.maketrans({code: code - 0xFEE0 for code in _ALNUM} | {0x3000: " "} | _INVISIBLE)

_QUOTED = "=+-@\t\r"
_HAN_ONLY = re.compile(r"^[\u3400-\u9fff·• ]+$")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31
# Excel keeps 15 significant digits of a number: an 18-digit ID typed into a number cell has lost
# its last digits (and its X) before the file was saved. It must be typed again as text.
_EXCEL_DIGITS = 15


def text(value) -> str:
    """Half-width, invisible characters gone, runs of spaces made one, ends trimmed.

    A Chinese name loses its spaces altogether ("张 三" is 张三): they are alignment, not part
    of the name.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    cleaned = str(value)
    # An exported CSV quotes cells that Excel would run as formulas ('=…, '+…): undo that.
    if len(cleaned) > 1 and cleaned[0] == "'" and cleaned[1] in _QUOTED:
        cleaned = cleaned[1:]
    cleaned = " ".join(cleaned.translate(_TRANSLATION).split())
    if " " in cleaned and _HAN_ONLY.match(cleaned):
        cleaned = cleaned.replace(" ", "")
    return cleaned


def identifier(value) -> str:
    """An identifier cell as text; an ID Excel stored as a number is refused, its digits are lost."""
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(_("This is a decimal number, not an identifier."))
    if isinstance(value, int | float) and len(str(int(value))) > _EXCEL_DIGITS:
        raise ValidationError(
            _(
                "Excel stored this number as a number and lost its last digits. Format the column as "
                "text and type it again."
            )
        )
    return text(value)


def parse_date(value) -> date | None:
    """2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 or an Excel serial number."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # 20240305 typed into a number cell: a date written without separators, not a serial.
        if isinstance(value, int) or value.is_integer():
            match = _COMPACT_DATE.match(str(int(value)))
            if match:
                return _compact(match, str(int(value)))
        return _from_serial(value)
    cleaned = text(value)
    if not cleaned:
        return None
    for pattern in (_DATE_PARTS, _COMPACT_DATE):
        match = pattern.match(cleaned)
        if match:
            return _compact(match, cleaned)
    if _SERIAL.match(cleaned):
        return _from_serial(float(cleaned))
    raise ValidationError(
        _("%(value)s is not a date: write it as 2024-03-05, 2024/3/5 or 2024年3月5日.") % {"value": cleaned}
    )


def _compact(match, shown: str) -> date:
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValidationError(_("%(value)s is not a date of the calendar.") % {"value": shown}) from exc


def _from_serial(number: float) -> date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise ValidationError(_("%(value)s is not a date.") % {"value": number})
    return _EXCEL_EPOCH + timedelta(days=int(number))


class Choices:
    """The value a cell's word stands for; words compared half-width, without spaces, upper case."""

    def __init__(self, words: dict[str, tuple[str, ...]]):
        self.lookup = {}
        for key, options in words.items():
            for word in (key, *options):
                self.lookup.setdefault(word.upper(), key)
        self.allowed = "、".join(options[0] for options in words.values())

    def __call__(self, value) -> str:
        cleaned = text(value).replace(" ", "").upper()
        if not cleaned:
            return ""
        try:
            return self.lookup[cleaned]
        except KeyError:
            raise ValidationError(
                _("%(value)s is not one of: %(allowed)s.") % {"value": text(value), "allowed": self.allowed}
            ) from None
