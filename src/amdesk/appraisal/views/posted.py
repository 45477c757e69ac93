"""Ids typed into forms and query strings of the appraisal pages (schemes, training, team selling,
DISC). `str.isdigit()` lets through "²" (int() fails: a 500) and ids of 30 digits (SQLite overflows,
PostgreSQL "out of range"); this reads them with the project's id bounds instead."""

from django.core.exceptions import ValidationError

from amdesk.core.params import IdFormField


def posted_id(raw) -> int | None:
    """The id in `raw`, or None when it is empty or not an id within the database's range."""
    if raw in (None, ""):
        return None
    try:
        return IdFormField(required=False).clean(str(raw).strip())
    except ValidationError:
        return None


def posted_ids(values) -> list[int]:
    """The ids among `values` (a form's checked boxes); anything else is left out."""
    return [pk for pk in (posted_id(value) for value in values) if pk is not None]
