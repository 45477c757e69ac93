"""Scoped reads of tickets with their SLA clock, the one-ticket gate, a ticket's history.

Scope (orgs.access.records_q on owner/org_node): an account manager sees the tickets he is
responsible for, a supervisor or the service desk those under the nodes they lead, admins all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, CharField, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from amdesk.orgs.access import records_q, scoped

from ..models import DeadlineKind, ServiceAlert, SlaStatus, Ticket, TicketEvent, TicketState

# Heavy columns a list never shows.
SIGNATURES = ["form_signature", "receipt_signature"]


def sla_status_cases(now: datetime) -> Case:
    """The SLA status of the running deadline, in SQL (the same rules as Ticket.sla_status_at)."""
    ff_pending = Q(first_feedback_at__isnull=True)
    paused = Q(state=TicketState.WAITING_CLIENT)
    # Paused at or after the running deadline: the breach had happened, the pause does not hide it
    # (such a ticket falls through to the "due <= now" line: breached).
    return Case(
        When(ff_pending & paused & ~Q(paused_at__gte=F("first_feedback_due")), then=Value(SlaStatus.PAUSED)),
        When(ff_pending & Q(first_feedback_due__lte=now), then=Value(SlaStatus.BREACHED)),
        When(ff_pending & Q(first_feedback_warn_at__lte=now), then=Value(SlaStatus.DUE_SOON)),
        When(ff_pending, then=Value(SlaStatus.ON_TIME)),
        When(resolved_at__isnull=False, resolved_at__lte=F("resolution_due"), then=Value(SlaStatus.MET)),
        When(resolved_at__isnull=False, then=Value(SlaStatus.MISSED)),
        When(paused & ~Q(paused_at__gte=F("resolution_due")), then=Value(SlaStatus.PAUSED)),
        When(resolution_due__lte=now, then=Value(SlaStatus.BREACHED)),
        When(resolution_warn_at__lte=now, then=Value(SlaStatus.DUE_SOON)),
        default=Value(SlaStatus.ON_TIME),
        output_field=CharField(),
    )


def with_sla(tickets: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Annotate `sla_deadline_kind`, `sla_due` (the running deadline), `sla_status` and `sla_rank`."""
    now = now or timezone.now()
    ff_pending = Q(first_feedback_at__isnull=True)
    return tickets.annotate(
        sla_deadline_kind=Case(
            When(ff_pending, then=Value(DeadlineKind.FIRST_FEEDBACK)),
            default=Value(DeadlineKind.RESOLUTION),
            output_field=CharField(),
        ),
        sla_due=Case(
            When(ff_pending, then=F("first_feedback_due")),
            default=F("resolution_due"),
            output_field=DateTimeField(),
        ),
        sla_status=sla_status_cases(now),
        # For "breached first, then due soon": 0 breached, 1 due soon, 2 on time, 3 paused, 4 met/missed.
        sla_rank=Case(
            *[
                When(sla_status=status, then=Value(rank))
                for rank, status in enumerate(
                    [SlaStatus.BREACHED, SlaStatus.DUE_SOON, SlaStatus.ON_TIME, SlaStatus.PAUSED]
                )
            ],
            default=Value(4),
            output_field=IntegerField(),
        ),
    )


def tickets_for(viewer, *, now: datetime | None = None) -> QuerySet:
    """The tickets the viewer may see, newest first, with client/owner/node and the SLA annotations."""
    tickets = scoped(Ticket.objects.all(), records_q(viewer, owner_field="owner", node_field="org_node"))
    return with_sla(tickets.select_related("client", "owner", "org_node").defer(*SIGNATURES), now=now)


def filter_tickets(
    tickets: QuerySet,
    *,
    state: str | None = None,
    ticket_type: str | None = None,
    priority: str | None = None,
    sla: str | None = None,
    owner: int | None = None,
    client: int | None = None,
    open_only: bool = False,
    q: str = "",
) -> QuerySet:
    """The list filters pages and the API share (on a tickets_for() queryset). `state` may also be
    "open" (any open state); `sla` is one of SlaStatus; `q` matches number, subject or client name."""
    if state == "open":
        open_only = True
    elif state:
        tickets = tickets.filter(state=state)
    if open_only:
        tickets = tickets.filter(state__in=[s for s in TicketState if s not in _DONE])
    if ticket_type:
        tickets = tickets.filter(ticket_type=ticket_type)
    if priority:
        tickets = tickets.filter(priority=priority)
    if sla:
        tickets = tickets.filter(sla_status=sla)
    if owner:
        tickets = tickets.filter(owner_id=owner)
    if client:
        tickets = tickets.filter(client_id=client)
    if q:
        q = q.strip()
        tickets = tickets.filter(
            Q(number__icontains=q) | Q(subject__icontains=q) | Q(client__name__icontains=q)
        )
    return tickets


_DONE = {TicketState.RESOLVED, TicketState.CONFIRMED, TicketState.CLOSED}


def access_ticket(viewer, ticket_id, *, for_write: bool = False) -> Ticket:
    """One ticket the viewer may see (with SLA annotations and signatures); Http404 for missing and
    forbidden alike. `for_write` locks the row (call inside a transaction) for a service to change it."""
    tickets = scoped(Ticket.objects.all(), records_q(viewer, owner_field="owner", node_field="org_node"))
    if for_write:
        ticket = tickets.select_for_update(of=("self",)).filter(pk=ticket_id).first()
    else:
        ticket = (
            with_sla(tickets)
            .select_related(
                "client",
                "owner",
                "org_node",
                "opened_by",
                "visit",
                "product_line",
                "approved_by",
                "escalated_to",
                "rated_by",
                "repeat_of",
            )
            .filter(pk=ticket_id)
            .first()
        )
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def ticket_events(ticket: Ticket) -> QuerySet:
    """The ticket's history, oldest first, with who did each step."""
    return TicketEvent.objects.filter(ticket=ticket).select_related("actor").order_by("at", "id")


def visible_alerts(viewer, *, unread_only: bool = False) -> QuerySet:
    """The viewer's own alerts on tickets he may still see, newest first.

    An alert stays addressed to whom it was raised for; once the ticket is reassigned outside his
    scope (another AM's, another team's) it leaves his lists with the ticket."""
    alerts = ServiceAlert.objects.filter(
        records_q(viewer, owner_field="ticket__owner", node_field="ticket__org_node"), recipient=viewer
    ).select_related("ticket", "ticket__client")
    return alerts.filter(read_at__isnull=True) if unread_only else alerts


def tickets_of_client(viewer, client) -> QuerySet:
    """A client's tickets the viewer may see (for the client page)."""
    return tickets_for(viewer).filter(client=client)


@dataclass(frozen=True)
class Countdown:
    deadline: str  # DeadlineKind
    due: datetime
    status: str  # SlaStatus
    remaining: timedelta | None  # negative: overdue by; None when the deadline was met or missed

    @property
    def overdue(self) -> bool:
        return self.remaining is not None and self.remaining < timedelta(0)

    @property
    def minutes(self) -> int | None:
        return None if self.remaining is None else int(self.remaining.total_seconds() // 60)


def ticket_countdown(ticket: Ticket, *, now: datetime | None = None) -> Countdown:
    """The running deadline of one ticket, time left or overdue by (frozen while paused)."""
    now = now or timezone.now()
    kind, due, _done = ticket.current_deadline()
    return Countdown(
        deadline=kind, due=due, status=ticket.sla_status_at(now), remaining=ticket.countdown_at(now)
    )
