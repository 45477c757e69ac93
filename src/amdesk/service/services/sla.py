"""The SLA clock: deadlines from the policy, and how a pause pushes them.

Two rules hold everywhere: a deadline that has already passed (or was already met) is never moved,
so a breach can be neither erased by changing the type or priority nor hidden by a pause; and a
pause pushes the deadlines still running by exactly the time it lasted, to the second: wall-clock
time for the first feedback (counted in hours), working-day time for the resolution (counted in
working days: a weekend or a holiday inside a pause moves nothing).
"""

from datetime import datetime, timedelta

from amdesk.core.calendar import add_working_days_at, add_working_seconds, working_seconds_between

from ..models import SlaPolicy, Ticket

DEADLINE_FIELDS = ["first_feedback_due", "first_feedback_warn_at", "resolution_due", "resolution_warn_at"]


def _first_feedback_settled(ticket: Ticket, now: datetime | None) -> bool:
    """The first-feedback deadline is history: given, or passed while still pending."""
    if ticket.first_feedback_due is None:
        return False
    return ticket.first_feedback_at is not None or (now is not None and ticket.first_feedback_due <= now)


def _resolution_settled(ticket: Ticket, now: datetime | None) -> bool:
    if ticket.resolution_due is None:
        return False
    return ticket.resolved_at is not None or (now is not None and ticket.resolution_due <= now)


def sla_apply(ticket: Ticket, *, now: datetime | None = None) -> Ticket:
    """Set the deadlines and warning moments of `ticket` (not saved) from its type and priority.

    First feedback: received_at + hours (wall clock) + the seconds paused before it was given.
    Resolution: the same clock time `days` working days after the resolution clock started
    (received, or reopened), then on by the working-day time paused since (see sla_pause_end).

    With `now` (a change of an open ticket), a deadline already met or already passed keeps its
    value: only running deadlines are recomputed. Without it (opening, reopening) all are set."""
    policy = SlaPolicy.for_ticket(ticket.ticket_type, ticket.priority)
    if ticket.resolution_clock_from is None:
        ticket.resolution_clock_from = ticket.received_at
    if not _first_feedback_settled(ticket, now):
        ff_span = timedelta(hours=policy.first_feedback_hours)
        ticket.first_feedback_due = (
            ticket.received_at + ff_span + timedelta(seconds=ticket.first_feedback_paused_seconds)
        )
        ticket.first_feedback_warn_at = ticket.first_feedback_due - policy.warn_before(ff_span)
    if not _resolution_settled(ticket, now):
        base_due = add_working_days_at(ticket.resolution_clock_from, policy.resolution_working_days)
        ticket.resolution_due = add_working_seconds(base_due, ticket.resolution_paused_seconds)
        ticket.resolution_warn_at = ticket.resolution_due - policy.warn_before(
            base_due - ticket.resolution_clock_from
        )
    return ticket


def sla_pause_end(ticket: Ticket, now: datetime) -> Ticket:
    """Count the pause that ends now into the ticket's totals and push its deadlines (not saved).

    Each deadline still running when the pause began moves by the time the pause took; one that had
    already passed when the ticket was paused stays where it was (the breach stands).

    The first feedback is counted in wall-clock hours, so it moves by the paused wall-clock time.
    The resolution is counted in working days, so it moves by the paused working-day time: the part
    of the pause that fell on working days (whole calendar days, to the second), stepped forward
    over non-working days. A pause from Friday 18:00 to Monday 09:00 gives back 15 hours, not the
    63 of the wall clock; a pause of a few hours gives back those hours (counting whole days lost
    every pause shorter than a day and made a 20-minute pause across midnight a full day)."""
    if ticket.paused_at is None:
        return ticket
    paused_at = ticket.paused_at
    seconds = max(0, int((now - paused_at).total_seconds()))
    push = timedelta(seconds=seconds)
    ticket.paused_seconds += seconds
    if ticket.first_feedback_at is None and ticket.first_feedback_due > paused_at:
        ticket.first_feedback_paused_seconds += seconds
        ticket.first_feedback_due += push
        ticket.first_feedback_warn_at += push
    if ticket.resolved_at is None and ticket.resolution_due > paused_at:
        working = working_seconds_between(paused_at, now)
        ticket.resolution_paused_seconds += working
        ticket.resolution_due = add_working_seconds(ticket.resolution_due, working)
        ticket.resolution_warn_at = add_working_seconds(ticket.resolution_warn_at, working)
    ticket.paused_at = None
    return ticket
