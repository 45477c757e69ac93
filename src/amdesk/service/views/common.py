"""Helpers shared by the ticket pages: a service's refusal as the page's message, the countdown text."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import services
from ..models import DeadlineKind, SlaStatus, Ticket
from ..selectors import ticket_countdown
from ..services import StaleTicket

PAGE_SIZE = 30


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top when the field is not shown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def lock_fields(form, ticket: Ticket, *, only=None) -> None:
    """Show the facts the service no longer lets change as read-only, with the reason under them
    (a disabled field also ignores what is posted for it)."""
    for name, reason in services.locked_fields(ticket).items():
        if name in form.fields and (only is None or name in only):
            form.fields[name].disabled = True
            form.fields[name].help_text = reason


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@dataclass
class Outcome:
    ok: bool = True


@contextmanager
def reported(request, success: str = "") -> Iterator[Outcome]:
    """Run a service call for a page that redirects: a refusal becomes an error message."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        outcome.ok = False
    except (PermissionDenied, StaleTicket) as exc:
        messages.error(request, str(exc))
        outcome.ok = False
    else:
        if success:
            messages.success(request, success)


def span_text(minutes: int) -> str:
    """ "2天3小时", "4小时5分钟", "12分钟": the same format the countdown script writes."""
    minutes = abs(minutes)
    day, hour, minute = units()
    d, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    if d:
        return f"{d}{day}{h}{hour}"
    if h:
        return f"{h}{hour}{m}{minute}"
    return f"{m}{minute}"


def units() -> tuple[str, str, str]:
    return (
        pgettext("duration unit", "d"),
        pgettext("duration unit", "h"),
        pgettext("duration unit", "min"),
    )


STATUS_BADGES = {
    SlaStatus.BREACHED: "text-bg-danger",
    SlaStatus.DUE_SOON: "text-bg-warning",
    SlaStatus.ON_TIME: "text-bg-success",
    SlaStatus.PAUSED: "text-bg-secondary",
    SlaStatus.MET: "text-bg-light border",
    SlaStatus.MISSED: "text-bg-danger",
}


@dataclass
class Clock:
    """What a page shows of a ticket's SLA clock; `deadline` is set when the script should keep it current."""

    status: str
    status_label: str
    badge: str
    deadline_label: str
    due: datetime
    text: str
    deadline: str = ""  # ISO time for data-deadline (running clocks only)
    soon_minutes: int = 0

    @property
    def running(self) -> bool:
        return bool(self.deadline)


def clock_of(ticket: Ticket, now: datetime) -> Clock:
    countdown = ticket_countdown(ticket, now=now)
    status = countdown.status
    kind_label = DeadlineKind(countdown.deadline).label
    if countdown.remaining is None:
        text = _("met") if status == SlaStatus.MET else _("missed")
    elif countdown.overdue:
        text = _("overdue by %s") % span_text(countdown.minutes)
    else:
        text = _("%s left") % span_text(countdown.minutes)
    if status == SlaStatus.PAUSED and countdown.remaining is not None:
        text = _("paused, %s left") % span_text(countdown.minutes)
    clock = Clock(
        status=status,
        status_label=SlaStatus(status).label,
        badge=STATUS_BADGES.get(status, "text-bg-secondary"),
        deadline_label=kind_label,
        due=timezone.localtime(countdown.due),
        text=text,
    )
    if countdown.remaining is not None and status != SlaStatus.PAUSED:
        clock.deadline = timezone.localtime(countdown.due).isoformat()
        warn = (
            ticket.first_feedback_warn_at
            if countdown.deadline == "first_feedback"
            else ticket.resolution_warn_at
        )
        clock.soon_minutes = max(0, int((countdown.due - warn).total_seconds() // 60))
    return clock


def clock_labels() -> dict:
    """The data attributes the countdown script formats with (translated once per page)."""
    return {"left": _("%s left"), "over": _("overdue by %s"), "units": ",".join(units())}
