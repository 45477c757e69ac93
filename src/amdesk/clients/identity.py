"""Normalise and validate Chinese client identifiers: resident ID, credit code, mobile.

Forms, the API and the Excel importer all call these functions, so a value is cleaned
and judged the same way wherever it comes from. Each failure is a Django
``ValidationError`` with its own ``code``; callers may branch on the code, never on the
message, which is translated.

Resident ID numbers (GB 11643): the first six digits are the area code of the household
registration when the number was issued. Area codes are created, merged and renamed
year by year, and a person keeps the number when the county that issued it is
abolished. ``stdnum.cn.ric.validate`` looks the code up in its own table and rejects
codes that it does not know or that did not exist in the birth year; that would refuse
genuine cards (and its table is only as current as the installed python-stdnum). So the
area code is not checked here at all: the check digit already catches typing errors in
it, and whether the card is genuine is for the identity-verification service to say.

Unified social credit codes (GB 32100-2015): ``stdnum.cn.uscc.validate`` insists on
eight leading digits, but the first character is the registering authority and may be
a letter: ``N`` for rural collective economic organisations (e.g. ``N2…`` for village
collectives, which banks serve), ``A`` and ``Y`` for others. So only the alphabet and
the check character are verified, the latter with stdnum's own calculation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

__all__ = ["ResidentId", "normalize", "parse_credit_code", "parse_mobile", "parse_resident_id"]

# An explicit table rather than NFKC: NFKC would also turn "①" or "²" into "1" and "2",
# letting stray symbols pass as digits of an identifier.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}
# Invisible characters that survive copying out of Excel, web pages and chat apps;
# they are not whitespace to str.split(), so they are listed here.
_INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))
_TRANSLATION = str.maketrans(_HALF_WIDTH | _INVISIBLE)

# re.ASCII: without it \d also matches Arabic-Indic and other Unicode digits.
_RESIDENT_ID_RE = re.compile(r"\d{17}[\dX]", re.ASCII)
_MOBILE_RE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_CREDIT_CODE_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def normalize(value: str) -> str:
    """Half-width, no whitespace anywhere, upper case: the form identifiers are stored in."""
    return "".join(value.translate(_TRANSLATION).split()).upper()


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    # The values of Client.Gender.
    gender: Literal["male", "female"]


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Validate an 18-character resident ID number and read the birth date and gender from it."""
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(length)d."),
            code="id_length",
            params={"length": len(number)},
        )
    if not _RESIDENT_ID_RE.fullmatch(number):
        raise ValidationError(
            _(
                "A resident ID number is 17 digits followed by a digit or the letter X; "
                "this one contains other characters."
            ),
            code="id_format",
        )
    # Checksum before the date: a mistyped digit is the likeliest fault, and the clerk
    # should be told to look for it rather than that the birth date is odd.
    # ric.calc_check_digit ignores the last character of what it is given, so it gets
    # all 18 characters, not the first 17.
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(
            _(
                "The last character of this resident ID number does not agree with the other "
                "17; please check each digit for a typing error."
            ),
            code="id_checksum",
        )
    birth_date = _birth_date(number[6:14], today or timezone.localdate())
    gender: Literal["male", "female"] = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number=number, birth_date=birth_date, gender=gender)


def _birth_date(digits: str, today: date) -> date:
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            _(
                "Digits 7 to 14 of a resident ID number are the date of birth (YYYYMMDD); "
                "%(digits)s is not a real date."
            ),
            code="id_birth_date",
            params={"digits": digits},
        ) from None
    if birth_date > today:
        raise ValidationError(
            _(
                "The date of birth in this resident ID number, %(birth_date)s, is in the future; "
                "please check digits 7 to 14."
            ),
            code="id_birth_date",
            params={"birth_date": birth_date.isoformat()},
        )
    if birth_date < _EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _(
                "The date of birth in this resident ID number, %(birth_date)s, is before 1900; "
                "please check digits 7 to 14."
            ),
            code="id_birth_date",
            params={"birth_date": birth_date.isoformat()},
        )
    return birth_date


def parse_credit_code(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码) and return it normalised."""
    code = normalize(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(code)},
        )
    invalid = sorted({char for char in code if char not in _CREDIT_CODE_ALPHABET})
    if invalid:
        raise ValidationError(
            _(
                "A unified social credit code contains only digits and capital letters other "
                "than I, O, S, V and Z; this one contains %(characters)s."
            ),
            code="credit_code_format",
            params={"characters": " ".join(invalid)},
        )
    if uscc.calc_check_digit(code) != code[-1]:
        raise ValidationError(
            _(
                "The last character of this unified social credit code does not agree with the "
                "other 17; please check each character for a typing error."
            ),
            code="credit_code_checksum",
        )
    return code


def parse_mobile(value: str) -> str:
    """Validate a mainland China mobile number and return its 11 digits without country code."""
    # Hyphens are how people group the digits ("138-1234-5678"), not part of the number.
    number = normalize(value).replace("-", "")
    if number.startswith(("+86", "0086")):
        number = number.removeprefix("+86").removeprefix("0086")
    # A bare "86" is taken for the country code only when 11 digits follow, so that a
    # mistyped number is reported as it was entered.
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not number.isascii() or not number.isdigit():
        raise ValidationError(
            _("A mobile number contains only digits, optionally preceded by +86."),
            code="mobile_format",
        )
    if len(number) != 11:
        raise ValidationError(
            _("A mainland China mobile number has 11 digits; this one has %(length)d."),
            code="mobile_format",
            params={"length": len(number)},
        )
    if not _MOBILE_RE.fullmatch(number):
        raise ValidationError(
            _("A mainland China mobile number starts with 13 to 19; this one starts with %(start)s."),
            code="mobile_format",
            params={"start": number[:2]},
        )
    return number
