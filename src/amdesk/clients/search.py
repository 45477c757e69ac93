"""Search keys for the client search box, and the lookup a search term turns into.

Keys (prefix + value): "n:" 1- and 2-character pieces of the name; "p:" the full pinyin;
"i:" pinyin initials (heteronyms 多音字 give several); "m:" the mobile's last four digits and
the whole mobile; "d:" the ID number or credit code. Every lookup is an equality or a prefix
range on the indexed key column, on both databases.
"""

import itertools
import re

from django.db.models import Q, QuerySet
from pypinyin import Style, pinyin

MAX_READINGS = 8  # cap on the combinations of heteronym readings per name
_HAN = re.compile(r"[\u3400-\u9fff]")
_DIGITS = re.compile(r"^\d+$")
_LETTERS = re.compile(r"^[a-z]+$")


def _readings(name: str, style: Style) -> set[str]:
    per_char = pinyin(name, style=style, heteronym=True, errors="ignore", strict=False)
    combos = itertools.islice(itertools.product(*[choices[:3] for choices in per_char]), MAX_READINGS)
    return {"".join(combo).lower() for combo in combos if combo}


def keys_for(*, name: str, mobile: str = "", id_number: str = "", credit_code: str = "") -> set[str]:
    name = name.strip()
    keys: set[str] = set()
    han = "".join(_HAN.findall(name))
    keys.update(f"n:{char}" for char in han)
    keys.update(f"n:{han[i : i + 2]}" for i in range(len(han) - 1))
    if han:
        keys.update(f"p:{reading}" for reading in _readings(han, Style.NORMAL))
        keys.update(f"i:{reading}" for reading in _readings(han, Style.FIRST_LETTER))
    ascii_name = re.sub(r"[^a-z0-9]", "", name.lower())
    if ascii_name:
        keys.add(f"p:{ascii_name[:60]}")
    if mobile:
        keys.update({f"m:{mobile[-4:]}", f"m:{mobile}"})
    for number in (id_number, credit_code):
        if number:
            keys.add(f"d:{number.upper()}")
    return {key[:64] for key in keys}


def _prefix(key: str) -> Q:
    # "~" sorts after every lower-case letter and digit; the column is in byte order ("C" on PostgreSQL).
    return Q(key__gte=key, key__lt=key + "~")


def search_condition(term: str) -> tuple[Q, Q] | None:
    """(condition on ClientSearchKey, extra condition on Client) for a search term; None if empty."""
    term = re.sub(r"\s+", "", term).lower()
    if not term:
        return None
    if _DIGITS.match(term):
        if len(term) == 4 or len(term) == 11:
            return Q(key=f"m:{term}"), Q()
        return Q(key=f"d:{term.upper()}"), Q()
    if len(term) == 18:
        return Q(key=f"d:{term.upper()}"), Q()
    han = "".join(_HAN.findall(term))
    if han:
        if len(han) <= 2:
            return Q(key=f"n:{han}"), Q()
        # Longer names: narrow by the first two characters, then check the whole fragment.
        return Q(key=f"n:{han[:2]}"), Q(name__contains=han)
    if _LETTERS.match(term):
        return _prefix(f"p:{term}") | _prefix(f"i:{term}"), Q()
    return Q(key=f"d:{term.upper()}"), Q()


def search(queryset: QuerySet, term: str) -> QuerySet:
    from .models import ClientSearchKey

    condition = search_condition(term)
    if condition is None:
        return queryset
    key_q, client_q = condition
    matching = ClientSearchKey.objects.filter(key_q).values("client_id")
    return queryset.filter(client_q, pk__in=matching)
