"""Reads only the pages need: the breaches listed under the service KPIs."""

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ..models import DONE_STATES, TicketState
from .tickets import tickets_for


def breaches_for(viewer, *, start: date, end: date, now: datetime) -> QuerySet:
    """Tickets received in the period (in the viewer's scope) whose first feedback or resolution was
    late or is overdue now — the same rule as the KPIs' breach counts, most recent first."""
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    running = ~Q(state=TicketState.WAITING_CLIENT)
    first_feedback = Q(first_feedback_at__gt=F("first_feedback_due")) | (
        Q(first_feedback_at__isnull=True, first_feedback_due__lte=now) & running
    )
    resolution = Q(resolved_at__gt=F("resolution_due")) | (
        Q(resolved_at__isnull=True, resolution_due__lte=now) & running & ~Q(state__in=DONE_STATES)
    )
    return (
        tickets_for(viewer, now=now)
        .filter(received_at__gte=begin, received_at__lt=finish)
        .filter(first_feedback | resolution)
        .order_by("-received_at", "-id")
    )
