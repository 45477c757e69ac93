"""What follows a client to his new account manager at a handover (clients.signals.clients_handed_over),
as the service capability's open tickets do: the findings still waiting for a supervisor's decision and
the visits planned from today on. What happened stays with whoever did it: visits recorded, findings
closed, past schedule entries (a missed visit stays missed on the old owner's schedule)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import ScheduleEntry, VisitFinding, VisitSchedule


@transaction.atomic
def visit_work_follows_clients(*, actor, client_ids, to_staff, request=None) -> dict[str, int]:
    """Move the clients' open findings and their planned, not yet visited schedule entries from today
    on to `to_staff`; returns how many of each moved. Set-based: a fixed number of queries for the
    findings, and per week touched a few for the schedules (a handover spans a week or two of plans).

    An entry moves onto the new owner's schedule of the same week (one is started, proposed, when he
    has none), at the end of that day's route; when the new owner already plans the client that day,
    the old entry is only removed. The new owner's schedule takes it whatever its state: the handover
    is the supervisor's decision, and the route is his to reorder."""
    client_ids = list(client_ids)
    findings = list(
        VisitFinding.objects.select_for_update(of=("self",))
        .filter(client_id__in=client_ids, closed_at__isnull=True)
        .exclude(owner=to_staff)
        .values_list("pk", "owner_id")
    )
    if findings:
        VisitFinding.objects.filter(pk__in=[pk for pk, _owner in findings]).update(
            owner=to_staff, org_node=to_staff.org_node_id
        )
    today = timezone.localdate()
    entries = list(
        ScheduleEntry.objects.select_for_update(of=("self",))
        .filter(client_id__in=client_ids, day__gte=today, visit__isnull=True)
        .exclude(schedule__owner=to_staff)
        .select_related("schedule")
    )
    moved = []
    if entries:
        moved = _entries_follow(entries, to_staff)
    if findings or entries:
        audit_record(
            event=AuditEvent.SCHEDULE_CHANGED,
            actor=actor,
            request=request,
            detail={
                "via": "client_handover",
                "owner": to_staff.pk,
                "findings": {str(pk): owner_id for pk, owner_id in findings},
                "entries": {str(entry.pk): entry.schedule.owner_id for entry in entries},
            },
        )
    return {"findings": len(findings), "entries": len(moved)}


def _entries_follow(entries: list[ScheduleEntry], to_staff) -> list[ScheduleEntry]:
    weeks = {entry.schedule.week_start for entry in entries}
    schedules = {s.week_start: s for s in VisitSchedule.objects.filter(owner=to_staff, week_start__in=weeks)}
    for week in weeks - set(schedules):
        schedules[week] = VisitSchedule.objects.create(
            owner=to_staff, org_node_id=to_staff.org_node_id, week_start=week
        )
    target_ids = [schedule.pk for schedule in schedules.values()]
    planned = set(
        ScheduleEntry.objects.filter(schedule_id__in=target_ids).values_list(
            "schedule_id", "client_id", "day"
        )
    )
    last = {
        (row["schedule_id"], row["day"]): row["last"]
        for row in ScheduleEntry.objects.filter(schedule_id__in=target_ids)
        .values("schedule_id", "day")
        .annotate(last=Max("position"))
        .order_by()
    }
    moved = []
    for entry in sorted(entries, key=lambda e: (e.day, e.position, e.pk)):
        target = schedules[entry.schedule.week_start]
        key = (target.pk, entry.client_id, entry.day)
        if key in planned:
            continue
        planned.add(key)
        position = last.get((target.pk, entry.day), -1) + 1
        last[(target.pk, entry.day)] = position
        moved.append(
            ScheduleEntry(
                schedule=target,
                client_id=entry.client_id,
                day=entry.day,
                position=position,
                reason=entry.reason,
                mode=entry.mode,
                strategy=entry.strategy,
            )
        )
    ScheduleEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    ScheduleEntry.objects.bulk_create(moved)
    return moved
