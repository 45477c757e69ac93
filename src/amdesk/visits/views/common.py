"""Helpers shared by the visit pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top when the field is not shown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def message_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@dataclass
class Outcome:
    ok: bool = True


@contextmanager
def reported(request, success: str = "") -> Iterator[Outcome]:
    """Run a service call for a page that redirects: a refusal becomes an error message, success
    (when given) a success message; `outcome.ok` says which."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as exc:
        messages.error(request, message_of(exc))
        outcome.ok = False
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        outcome.ok = False
    else:
        if success:
            messages.success(request, success)
