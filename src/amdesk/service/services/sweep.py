"""The SLA sweep (cron `amdesk service-sla`, or the task): warnings to the owner before a deadline,
escalation to the supervisor at a breach; once per deadline, so running it twice adds nothing."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.models import OrgNode

from ..models import OPEN_STATES, AlertKind, DeadlineKind, ServiceAlert, Ticket, TicketEvent, TicketState

RUNNING = [state for state in OPEN_STATES if state != TicketState.WAITING_CLIENT]


@dataclass
class SweepResult:
    warnings: int = 0
    escalations: int = 0


def _leader_chains(nodes: set[int]) -> dict[int, list]:
    """For each node, the active leaders of it and its ancestors, nearest first (one query)."""
    tree = list(OrgNode.objects.filter(is_active=True).select_related("leader").only("id", "path", "leader"))
    by_path = {n.path: n for n in tree}
    chains: dict[int, list] = {}
    for node in tree:
        if node.pk not in nodes:
            continue
        chain, path = [], node.path
        while path:
            candidate = by_path.get(path)
            if candidate is not None and candidate.leader is not None and candidate.leader.is_active:
                chain.append(candidate.leader)
            path = path[: path[:-1].rfind("/") + 1]
        chains[node.pk] = chain
    return chains


def supervisor_for(ticket: Ticket, chains: dict[int, list] | None = None):
    """Who a breach is escalated to: the leader of the ticket's node or of the nearest ancestor
    with one, skipping the ticket's owner himself (a supervisor's own ticket goes one level up)."""
    chains = chains if chains is not None else _leader_chains({ticket.org_node_id})
    return next((boss for boss in chains.get(ticket.org_node_id, []) if boss.pk != ticket.owner_id), None)


def _new_alert(**fields) -> bool:
    try:
        with transaction.atomic():
            ServiceAlert.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def ticket_sla_sweep(*, now=None) -> SweepResult:
    """Warn and escalate for every running ticket; an alert raised for a deadline is not raised again."""
    now = now or timezone.now()
    result = SweepResult()
    deadlines = [
        (
            DeadlineKind.FIRST_FEEDBACK,
            "first_feedback_due",
            "first_feedback_warn_at",
            Q(first_feedback_at__isnull=True),
        ),
        (DeadlineKind.RESOLUTION, "resolution_due", "resolution_warn_at", Q(resolved_at__isnull=True)),
    ]
    for kind, due_field, warn_field, pending in deadlines:

        def raised(alert_kind, kind=kind, due_field=due_field):
            return Exists(
                ServiceAlert.objects.filter(
                    ticket=OuterRef("pk"), alert_kind=alert_kind, deadline=kind, due_at=OuterRef(due_field)
                )
            )

        running = Ticket.objects.filter(pending, state__in=RUNNING)
        # Warnings: inside the window, not yet due, not yet warned for this deadline.
        candidates = (
            running.filter(**{f"{warn_field}__lte": now, f"{due_field}__gt": now})
            .exclude(raised(AlertKind.WARNING))
            .only("id", "owner_id", due_field)
        )
        for ticket in candidates:
            if _new_alert(
                recipient_id=ticket.owner_id,
                ticket=ticket,
                alert_kind=AlertKind.WARNING,
                deadline=kind,
                due_at=getattr(ticket, due_field),
                created_at=now,
            ):
                result.warnings += 1
        # Breaches: past due, not yet escalated for this deadline; a ticket paused at or after its
        # deadline too (the pause came too late to stop the clock: the breach stands).
        breached = Ticket.objects.filter(pending).filter(
            Q(state__in=RUNNING) | Q(state=TicketState.WAITING_CLIENT, paused_at__gte=F(due_field))
        )
        todo = list(
            breached.filter(**{f"{due_field}__lte": now})
            .exclude(raised(AlertKind.BREACH))
            .select_related("org_node")
        )
        chains = _leader_chains({t.org_node_id for t in todo}) if todo else {}
        for ticket in todo:
            due = getattr(ticket, due_field)
            boss = supervisor_for(ticket, chains)
            recipient_id = boss.pk if boss else ticket.owner_id  # nobody above: the owner hears of it
            with transaction.atomic():
                if not _new_alert(
                    recipient_id=recipient_id,
                    ticket=ticket,
                    alert_kind=AlertKind.BREACH,
                    deadline=kind,
                    due_at=due,
                    created_at=now,
                ):
                    continue
                Ticket.objects.filter(pk=ticket.pk).update(escalated_at=now, escalated_to=boss)
                TicketEvent.objects.create(
                    ticket=ticket,
                    actor=None,
                    at=now,
                    action="escalate",
                    from_state=ticket.state,
                    to_state=ticket.state,
                    data={"deadline": kind, "due_at": due.isoformat(), "to": boss.pk if boss else None},
                )
                audit_record(
                    event=AuditEvent.TICKET_ESCALATED,
                    target=ticket,
                    detail={"deadline": kind, "due_at": due.isoformat(), "to": boss.pk if boss else None},
                )
            result.escalations += 1
    return result


def alert_mark_read(*, actor, alert_ids=None) -> int:
    """Mark the actor's alerts read (all unread ones when no ids are given); returns how many."""
    alerts = ServiceAlert.objects.filter(recipient=actor, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=list(alert_ids))
    return alerts.update(read_at=timezone.now())
