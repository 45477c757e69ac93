"""The SLA clock: deadlines from the policy, and how a pause pushes them."""

from datetime import datetime, timedelta

from amdesk.core.calendar import add_working_days_at, working_days_between

from ..models import SlaPolicy, Ticket


def sla_apply(ticket: Ticket) -> Ticket:
    """Set the deadlines and warning moments of `ticket` (not saved) from its type and priority.

    First feedback: received_at + hours (wall clock) + the seconds paused before it was given.
    Resolution: the same clock time `days` working days after the resolution clock started
    (received, or reopened), plus the working days paused, via the working-day calendar."""
    policy = SlaPolicy.for_ticket(ticket.ticket_type, ticket.priority)
    if ticket.resolution_clock_from is None:
        ticket.resolution_clock_from = ticket.received_at
    ff_span = timedelta(hours=policy.first_feedback_hours)
    ticket.first_feedback_due = (
        ticket.received_at + ff_span + timedelta(seconds=ticket.first_feedback_paused_seconds)
    )
    ticket.first_feedback_warn_at = ticket.first_feedback_due - policy.warn_before(ff_span)
    base_due = add_working_days_at(ticket.resolution_clock_from, policy.resolution_working_days)
    ticket.resolution_due = add_working_days_at(
        ticket.resolution_clock_from, policy.resolution_working_days + ticket.resolution_paused_days
    )
    ticket.resolution_warn_at = ticket.resolution_due - policy.warn_before(
        base_due - ticket.resolution_clock_from
    )
    return ticket


def sla_pause_end(ticket: Ticket, now: datetime) -> Ticket:
    """Count the pause that ends now into the ticket's totals and push its deadlines (not saved)."""
    if ticket.paused_at is None:
        return ticket
    seconds = max(0, int((now - ticket.paused_at).total_seconds()))
    ticket.paused_seconds += seconds
    if ticket.first_feedback_at is None:
        ticket.first_feedback_paused_seconds += seconds
    ticket.resolution_paused_days += working_days_between(_local_date(ticket.paused_at), _local_date(now))
    ticket.paused_at = None
    return sla_apply(ticket)


def _local_date(moment: datetime):
    from django.utils import timezone

    return timezone.localtime(moment).date()
