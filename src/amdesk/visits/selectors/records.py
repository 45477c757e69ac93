"""Scoped reads of visits, findings, schedules and inspections, and the one-object gates.

Scope follows orgs.access: an account manager sees the records he made (visits) or owns
(schedules, inspections), a supervisor those under the nodes he leads, admins everything.
Writing is narrower: see the services.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from amdesk.orgs.access import client_q, records_q, scoped

from ..models import (
    AnomalyKind,
    ChecklistItem,
    LoanInspection,
    ScheduleEntry,
    Visit,
    VisitFinding,
    VisitSchedule,
)


def visits_for(viewer) -> QuerySet:
    """Visits the viewer made or oversees, and the visits of clients he may see now (after a handover
    the new owner reads the client's visit history)."""
    mine = records_q(viewer)
    clients = records_q(viewer, owner_field="client__owner", node_field="client__org_node")
    condition = mine | clients if mine and clients else Q()
    return scoped(Visit.objects.all(), condition).select_related("client", "owner")


def visits_of_client(viewer, client) -> QuerySet:
    """A client's visits, for anyone who may see the client (a new owner sees the old owner's visits)."""
    if not type(client).objects.filter(client_q(viewer), pk=client.pk).exists():
        return Visit.objects.none()
    return Visit.objects.filter(client=client).select_related("owner")


def access_visit(viewer, visit_id) -> Visit:
    visit = visits_for(viewer).select_related("org_node", "entry").filter(pk=visit_id).first()
    if visit is None:
        raise Http404("No such visit.")
    return visit


def findings_for(viewer, *, open_only: bool = False) -> QuerySet:
    findings = scoped(VisitFinding.objects.all(), records_q(viewer)).select_related(
        "client", "owner", "visit", "anomaly", "outcome"
    )
    return findings.filter(closed_at__isnull=True) if open_only else findings


def access_finding(viewer, finding_id) -> VisitFinding:
    finding = findings_for(viewer).filter(pk=finding_id).first()
    if finding is None:
        raise Http404("No such finding.")
    return finding


def schedules_for(viewer) -> QuerySet:
    return (
        scoped(VisitSchedule.objects.all(), records_q(viewer))
        .select_related("owner", "reviewer")
        .annotate(entry_count=Count("entries"))
    )


def access_schedule(viewer, schedule_id) -> VisitSchedule:
    schedule = (
        scoped(VisitSchedule.objects.all(), records_q(viewer)).select_related("owner").filter(pk=schedule_id)
    )
    schedule = schedule.first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule


def schedule_entries(schedule: VisitSchedule) -> QuerySet:
    """The schedule's entries in route order, with the client's place and whether it was visited."""
    return (
        ScheduleEntry.objects.filter(schedule=schedule)
        .select_related("client", "client__location", "client__tier", "visit")
        .order_by("day", "position", "id")
    )


def inspections_for(viewer) -> QuerySet:
    """Inspections of the clients the viewer may see: an open one follows the client to a new owner.
    Scheduled ones of a loan since repaid are left out (the scheduler drops them)."""
    return (
        scoped(
            LoanInspection.objects.all(),
            records_q(viewer, owner_field="client__owner", node_field="client__org_node"),
        )
        .exclude(kind=LoanInspection.Kind.SCHEDULED, loan__isnull=True, done_on__isnull=True)
        .select_related("client", "owner", "loan__product")
    )


def inspections_overdue(viewer, *, today: date) -> QuerySet:
    return inspections_for(viewer).filter(done_on__isnull=True, due_on__lt=today)


def access_inspection(viewer, inspection_id) -> LoanInspection:
    inspection = inspections_for(viewer).filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404("No such inspection.")
    return inspection


def checklist(purpose: str = ChecklistItem.Purpose.VISIT) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(purpose=purpose, is_active=True))


def checklist_labels(codes: list[str]) -> list[str]:
    """Names of the given codes, inactive items included (old records keep their words)."""
    names = dict(ChecklistItem.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


def anomaly_labels(codes: list[str]) -> list[str]:
    """Names of the anomaly kinds of the given codes, retired ones included."""
    names = {kind.code: str(kind) for kind in AnomalyKind.objects.filter(code__in=codes)}
    return [names.get(code, code) for code in codes]


def today_route(viewer, *, today: date) -> QuerySet:
    """The viewer's own entries for today, from his schedule of this week, in route order."""
    return (
        ScheduleEntry.objects.filter(schedule__owner=viewer, day=today)
        .exclude(schedule__state=VisitSchedule.State.RETURNED)
        .select_related("client", "client__location", "client__tier", "visit")
        .order_by("position", "id")
    )
