"""A client's timeline: everything that happened to the client, newest first.

Each capability registers a source: a function (client, limit) -> list[TimelineEntry]. The
archive adds its own (changes, handovers, ratings, contacts); visits, tickets and surveys add
theirs when they arrive, without the client page knowing about them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from amdesk.core.i18n import localized

from .models import Client, ClientChange, ClientGrade, ClientTier, Product, VipLevel


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # a short code the template styles by: change, owner, rating, …
    title: str
    detail: str = ""
    by: str = ""
    extra: dict = field(default_factory=dict)


Source = Callable[[Client, int], list[TimelineEntry]]
SOURCES: list[Source] = []


def timeline_source(function: Source) -> Source:
    SOURCES.append(function)
    return function


def timeline_for(client: Client, limit: int = 50) -> list[TimelineEntry]:
    entries = [entry for source in SOURCES for entry in source(client, limit)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


# --- how change rows read -------------------------------------------------------------------

SPECIAL_LABELS = {
    "tags": lambda: _("Tags"),
    "owner": lambda: _("Account manager"),
    "credit_rating": lambda: _("Credit rating"),
}


def _field_label(field_code: str, products: dict[str, str]) -> str:
    if field_code.startswith("holding:"):
        code = field_code.split(":", 1)[1]
        return _("Holding: %(product)s") % {"product": products.get(code, code)}
    if field_code in SPECIAL_LABELS:
        return str(SPECIAL_LABELS[field_code]())
    try:
        return str(Client._meta.get_field(field_code).verbose_name)
    except FieldDoesNotExist:  # a field removed since the change was recorded
        return field_code


def _value_label(field_code: str, value: str, names: dict[str, dict[str, str]]) -> str:
    if value == "":
        return "—"
    if field_code in names:  # a preset item, kept by code: shown by its current name
        return names[field_code].get(value, value)
    if field_code in ("is_big_account",):
        return _("Yes") if value == "True" else _("No")
    try:
        model_field = Client._meta.get_field(field_code)
    except FieldDoesNotExist:
        return value
    choices = dict(model_field.flatchoices) if model_field.choices else {}
    return str(choices.get(value, value))


# Preset items the history keeps by code.
REFERENCES = {"vip_level": VipLevel, "tier": ClientTier, "grade": ClientGrade}


def _names(model) -> dict[str, str]:
    rows = model.objects.values_list("code", "name", "name_en")
    return {code: localized(name, name_en) for code, name, name_en in rows}


def describe_changes(changes) -> list[dict]:
    """Rows of the change history with field and value labels, in the reader's language."""
    changes = list(changes)
    products = (
        {
            code: localized(name, name_en)
            for code, name, name_en in Product.objects.values_list("code", "name", "name_en")
        }
        if any(c.field.startswith("holding:") for c in changes)
        else {}
    )
    changed = {c.field for c in changes}
    names = {field: _names(model) for field, model in REFERENCES.items() if field in changed}
    return [
        {
            "change": change,
            "field": _field_label(change.field, products),
            "old": _value_label(change.field, change.old_value, names),
            "new": _value_label(change.field, change.new_value, names),
        }
        for change in changes
    ]


PLAIN_SOURCES = [ClientChange.Source.EDIT, ClientChange.Source.IMPORT]


@timeline_source
def _changes(client: Client, limit: int) -> list[TimelineEntry]:
    # Handovers and ratings have their own, fuller entries below.
    rows = (
        ClientChange.objects.filter(
            client=client, source__in=[ClientChange.Source.EDIT, ClientChange.Source.IMPORT]
        )
        .select_related("changed_by")
        .order_by("-changed_at")[:limit]
    )
    return [
        TimelineEntry(
            at=row["change"].changed_at,
            kind=row["change"].source,
            title=row["field"],
            detail=f"{row['old']} → {row['new']}",
            by=row["change"].changed_by.full_name if row["change"].changed_by else "",
        )
        for row in describe_changes(rows)
    ]


@timeline_source
def _ownerships(client: Client, limit: int) -> list[TimelineEntry]:
    rows = client.ownerships.select_related("owner", "handed_over_by").order_by("-started_at")[:limit]
    return [
        TimelineEntry(
            at=row.started_at,
            kind="owner",
            title=_("%(name)s became the account manager") % {"name": row.owner.full_name},
            detail=row.reason or row.get_how_display(),
            by=row.handed_over_by.full_name if row.handed_over_by else "",
        )
        for row in rows
    ]


@timeline_source
def _ratings(client: Client, limit: int) -> list[TimelineEntry]:
    rows = client.credit_ratings.select_related("rater").order_by("-recorded_at")[:limit]
    return [
        TimelineEntry(
            at=row.recorded_at,
            kind="rating",
            title=_("Credit rating %(cls)s (%(total)d points)")
            % {"cls": row.rating_class, "total": row.total},
            detail=row.remarks,
            by=row.rater.full_name,
        )
        for row in rows
    ]
