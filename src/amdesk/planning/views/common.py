"""Helpers shared by the planning pages (the visit pages' helpers: one way to report a refusal)."""

from datetime import date

from django.http import Http404

from amdesk.visits.views.common import apply_errors, message_of, reported

__all__ = ["apply_errors", "int_or_none", "message_of", "parse_day", "parse_month", "reported"]


def parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("No such day.") from None


def parse_month(value: str | None, default: date) -> date:
    if not value:
        return default.replace(day=1)
    try:
        return date.fromisoformat(f"{value}-01").replace(day=1)
    except ValueError:
        raise Http404("No such month.") from None


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
