"""Visit figures per account manager and period, for the desk, the team page and later appraisal.

Every function takes the account managers (a Staff queryset, already scoped by the caller) and
a period, and answers in a fixed number of queries whatever the team's size.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from amdesk.clients.models import Client

from ..models import ScheduleEntry, Visit, VisitSchedule
from .status import compliance_in_period


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class VisitKpis:
    staff_id: int
    contacts: int = 0  # relationship-maintenance contacts 关系维护次数: visits of any mode
    on_site: int = 0
    avg_minutes: float | None = None
    planned: int = 0
    planned_done: int = 0
    # key tier or not (the preset's tiers marked key) → (complied, clients)
    compliance: dict[bool, tuple[int, int]] = field(default_factory=dict)

    @property
    def plan_completion(self) -> float | None:
        return _rate(self.planned_done, self.planned)

    @property
    def key_compliance(self) -> float | None:
        return self.compliance_rate(key=True)

    def compliance_rate(self, key: bool | None = None) -> float | None:
        pairs = [pair for is_key, pair in self.compliance.items() if key is None or is_key == key]
        return _rate(sum(p[0] for p in pairs), sum(p[1] for p in pairs))


def visit_kpis(staff: QuerySet, *, start: date, end: date) -> dict[int, VisitKpis]:
    ids = list(staff.values_list("pk", flat=True))
    result = {pk: VisitKpis(staff_id=pk) for pk in ids}
    visits = Visit.objects.filter(owner_id__in=ids, visited_on__range=(start, end))
    duration = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    timed = Q(ended_at__isnull=False)
    for row in (
        visits.values("owner")
        .annotate(
            contacts=Count("id"),
            on_site=Count("id", filter=Q(mode=Visit.Mode.ON_SITE)),
            avg=Avg(duration, filter=timed),
        )
        .order_by()
    ):
        kpis = result[row["owner"]]
        kpis.contacts, kpis.on_site = row["contacts"], row["on_site"]
        if row["avg"] is not None:
            kpis.avg_minutes = round(row["avg"].total_seconds() / 60, 1)
    # Done: the entry's own record, or the AM's visit to that client that day (recorded unplanned).
    done = Visit.objects.filter(
        client=OuterRef("client"), visited_on=OuterRef("day"), owner=OuterRef("schedule__owner")
    )
    entries = (
        ScheduleEntry.objects.filter(
            schedule__owner_id__in=ids,
            day__range=(start, end),
            schedule__state__in=[VisitSchedule.State.SUBMITTED, VisitSchedule.State.REVIEWED],
        )
        .annotate(done=Exists(done) | Exists(Visit.objects.filter(entry=OuterRef("pk"))))
        # Today's and later visits not made yet are still to come, not missed.
        .exclude(day__gte=timezone.localdate(), done=False)
    )
    for row in (
        entries.values("schedule__owner")
        .annotate(planned=Count("id"), planned_done=Count("id", filter=Q(done=True)))
        .order_by()
    ):
        kpis = result[row["schedule__owner"]]
        kpis.planned, kpis.planned_done = row["planned"], row["planned_done"]
    clients = Client.objects.filter(owner_id__in=ids)
    for row in compliance_in_period(clients, start=start, end=end, group_by=("owner", "tier__is_key")):
        result[row["owner"]].compliance[row["tier__is_key"]] = (row["complied"], row["clients"])
    return result
