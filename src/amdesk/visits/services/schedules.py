"""The weekly visit schedule 客户访问日程表: proposed by the system, edited and submitted by the
account manager, reviewed by the supervisor.

The proposal puts first what must happen (post-loan inspections due, follow-ups promised for a
day, clients overdue by norm, key before ordinary), fits as many as the day limit allows, groups
them into one compact area a day and orders each day's route (routing.py).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import may_hand_over, records_q

from .. import routing
from ..models import ClientLocation, LoanInspection, ScheduleEntry, Visit, VisitSchedule, VisitSettings
from ..selectors.status import with_visit_status

Reason = ScheduleEntry.Reason
# Order of urgency when one client has several reasons to be on the schedule.
# Post-loan inspections are a rule of the bank; then, as the issue orders them: clients due by norm
# (overdue before due, key before ordinary), special requests, follow-up plans.
PRIORITY = {
    Reason.INSPECTION: 50,
    Reason.OVERDUE: 40,
    Reason.DUE: 30,
    Reason.REQUEST: 20,
    Reason.FOLLOW_UP: 15,
    Reason.MANUAL: 0,
}
# What a new proposal replaces; the AM's own additions (by hand, on request) stay.
PROPOSED_REASONS = [Reason.OVERDUE, Reason.DUE, Reason.FOLLOW_UP, Reason.INSPECTION]
KEY_BONUS = 5
# Entries already visited when a schedule is proposed again keep their day and take its room.
KEPT = 1000


class StaleSchedule(ValidationError):
    """The schedule changed after the caller read it (a ValidationError, so pages show it as one)."""

    def __init__(self):
        super().__init__(_("The schedule changed after you opened it. Reload to see the changes."))


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


@dataclass
class Proposal:
    schedule: VisitSchedule
    created: bool
    left_over: list[int] = field(default_factory=list)  # client ids due but beyond the week's capacity


@dataclass
class _Candidate:
    client_id: int
    reason: str
    priority: int
    fixed_day: int | None = None


def _candidates(owner, week_start: date, days: int, today: date) -> dict[int, _Candidate]:
    week_end = week_start + timedelta(days=days - 1)
    found: dict[int, _Candidate] = {}

    def offer(client_id: int, reason: str, *, key: bool = False, fixed_day: int | None = None) -> None:
        priority = PRIORITY[reason] + (KEY_BONUS if key else 0)
        current = found.get(client_id)
        if current is None:
            found[client_id] = _Candidate(client_id, reason, priority, fixed_day)
            return
        if priority > current.priority:
            current.reason, current.priority = reason, priority
        # A day promised to the client (a follow-up, an inspection date) stays, whatever the reason.
        if current.fixed_day is None:
            current.fixed_day = fixed_day

    lost = Client.Lifecycle.LOST  # a lost client is never proposed, for whatever reason
    owned = Client.objects.filter(owner=owner).exclude(lifecycle=lost)
    due = (
        with_visit_status(owned).filter(next_due_on__lte=week_end).values("pk", "tier__is_key", "next_due_on")
    )
    for row in due:
        reason = Reason.OVERDUE if row["next_due_on"] < today else Reason.DUE
        offer(row["pk"], reason, key=row["tier__is_key"])
    follow_ups = (
        Visit.objects.filter(owner=owner, client__owner=owner, next_step_on__range=(week_start, week_end))
        .exclude(client__lifecycle=lost)
        .values_list("client_id", "next_step_on", "client__tier__is_key")
    )
    for client_id, on, is_key in follow_ups:
        offer(client_id, Reason.FOLLOW_UP, key=is_key, fixed_day=(on - week_start).days)
    inspections = (
        LoanInspection.objects.filter(client__owner=owner, done_on__isnull=True, due_on__lte=week_end)
        .exclude(client__lifecycle=lost)
        .exclude(kind=LoanInspection.Kind.SCHEDULED, loan__isnull=True)
        .values_list("client_id", "due_on", "client__tier__is_key")
    )
    for client_id, due_on, is_key in inspections:
        fixed = (due_on - week_start).days if due_on >= week_start else None
        offer(client_id, Reason.INSPECTION, key=is_key, fixed_day=fixed)
    return found


def _stops(
    candidates: dict[int, _Candidate], kept: dict[int, tuple[int, int]], *, offset: int
) -> list[routing.Stop]:
    """Stops for the planner: the kept entries (key -entry id, on their day) and the candidates
    (key client id); days count from the first day planned, `offset` days into the week."""
    client_ids = {*candidates, *(client_id for client_id, _day in kept.values())}
    places = {
        row["client_id"]: row
        for row in ClientLocation.objects.filter(client_id__in=client_ids).values(
            "client_id", "latitude", "longitude", "area"
        )
    }

    def stop(key: int, client_id: int, priority: int, fixed_day: int | None) -> routing.Stop:
        place = places.get(client_id, {})
        lat, lng = place.get("latitude"), place.get("longitude")
        return routing.Stop(
            key=key,
            lat=float(lat) if lat is not None else None,
            lng=float(lng) if lng is not None else None,
            area=place.get("area", ""),
            priority=priority,
            fixed_day=fixed_day,
        )

    stops = [stop(key, client_id, KEPT, day) for key, (client_id, day) in sorted(kept.items())]
    for client_id, candidate in sorted(candidates.items()):
        # A day promised but already past becomes the first day planned (plan_days clamps it).
        fixed = None if candidate.fixed_day is None else candidate.fixed_day - offset
        stops.append(stop(client_id, client_id, candidate.priority, fixed))
    return stops


@transaction.atomic
def schedule_propose(
    *, owner, week_start: date, today: date | None = None, replace: bool = False
) -> Proposal:
    """The system's proposal for the owner's week; an existing schedule is kept unless replace=True
    and it is still the AM's to edit."""
    today = today or timezone.localdate()
    week_start = week_of(week_start)
    settings = VisitSettings.current()
    schedule = VisitSchedule.objects.select_for_update().filter(owner=owner, week_start=week_start).first()
    if schedule is not None and not (replace and schedule.is_editable):
        return Proposal(schedule=schedule, created=False)
    workdays = settings.workdays_per_week
    # Days already past are not planned: a proposal made during the week fills the days left.
    first = min(max((today - week_start).days, 0), workdays)
    days = workdays - first
    if schedule is None:
        if owner.org_node_id is None:
            raise ValidationError(_("An account manager needs an org node before he gets a visit schedule."))
        schedule = VisitSchedule.objects.create(
            owner=owner, org_node_id=owner.org_node_id, week_start=week_start
        )
    else:
        if days < 1:
            raise ValidationError(_("No working day of this week is left to plan."))
        # Past days stay as they were (missed visits count as missed); so do the AM's own additions.
        schedule.entries.filter(
            visit__isnull=True, reason__in=PROPOSED_REASONS, day__gte=week_start + timedelta(days=first)
        ).delete()
        VisitSchedule.objects.filter(pk=schedule.pk).update(
            version=F("version") + 1, proposed_at=timezone.now(), state=VisitSchedule.State.PROPOSED
        )
        schedule.refresh_from_db()
    candidates = _candidates(owner, week_start, workdays, today)
    kept_rows = list(schedule.entries.values_list("pk", "client_id", "day", "visit"))
    # A client still planned from today on, or visited this week, is not proposed again; one missed
    # on a past day is (the missed entry stays where it was).
    kept_clients = {
        client_id
        for _pk, client_id, day, visit in kept_rows
        if visit is not None or (day - week_start).days >= first
    }
    kept_rows = [(pk, client_id, day) for pk, client_id, day, _visit in kept_rows]
    candidates = {pk: c for pk, c in candidates.items() if pk not in kept_clients}
    if days < 1:
        waiting = sorted(candidates.values(), key=lambda c: (-c.priority, c.client_id))
        return Proposal(schedule=schedule, created=True, left_over=[c.client_id for c in waiting])
    kept = {
        -pk: (client_id, (day - week_start).days - first)
        for pk, client_id, day in kept_rows
        if first <= (day - week_start).days < workdays
    }
    stops = _stops(candidates, kept, offset=first)
    routes, left = routing.plan_days(stops, days=days, per_day=settings.visits_per_day)
    new, rerouted = [], []
    for index, route in enumerate(routes):
        for position, stop in enumerate(route):
            if stop.key < 0:
                rerouted.append(ScheduleEntry(pk=-stop.key, position=position))
                continue
            new.append(
                ScheduleEntry(
                    schedule=schedule,
                    client_id=stop.key,
                    day=week_start + timedelta(days=first + index),
                    position=position,
                    reason=candidates[stop.key].reason,
                )
            )
    ScheduleEntry.objects.bulk_create(new)
    ScheduleEntry.objects.bulk_update(rerouted, ["position"])
    left_over = [stop.key for stop in left if stop.key > 0]
    audit_record(
        event=AuditEvent.SCHEDULE_CHANGED,
        actor=owner,
        target=schedule,
        detail={"proposed": len(new), "left_over": len(left_over), "replace": replace},
    )
    return Proposal(schedule=schedule, created=True, left_over=left_over)


def _editable(actor, schedule: VisitSchedule) -> None:
    if schedule.owner_id != actor.pk:
        raise PermissionDenied(_("Only the account manager edits his own schedule."))
    if not schedule.is_editable:
        raise ValidationError(_("This schedule is submitted; it can no longer be changed."))


def _touch(actor, schedule: VisitSchedule, expected_version: int | None, detail: dict, request=None) -> None:
    version = schedule.version if expected_version is None else expected_version
    if not VisitSchedule.objects.filter(pk=schedule.pk, version=version).update(version=F("version") + 1):
        raise StaleSchedule()
    schedule.version = version + 1
    audit_record(
        event=AuditEvent.SCHEDULE_CHANGED, actor=actor, request=request, target=schedule, detail=detail
    )


def _check_day(schedule: VisitSchedule, day: date) -> None:
    if not schedule.week_start <= day < schedule.week_start + timedelta(days=7):
        raise ValidationError({"day": [_("Pick a day of this schedule's week.")]})


@transaction.atomic
def schedule_entry_add(
    *,
    actor,
    schedule: VisitSchedule,
    client: Client,
    day: date,
    mode: str = Visit.Mode.ON_SITE,
    strategy: str = "",
    reason: str = Reason.MANUAL,
    expected_version: int | None = None,
    request=None,
) -> ScheduleEntry:
    _editable(actor, schedule)
    _check_day(schedule, day)
    if not Client.objects.filter(records_q(actor, for_write=True), pk=client.pk).exists():
        raise ValidationError({"client": [_("This client is not in your scope.")]})
    if ScheduleEntry.objects.filter(schedule=schedule, client=client, day=day).exists():
        raise ValidationError({"client": [_("This client is already on that day's route.")]})
    last = ScheduleEntry.objects.filter(schedule=schedule, day=day).aggregate(m=Max("position"))["m"]
    entry = ScheduleEntry(
        schedule=schedule,
        client=client,
        day=day,
        position=0 if last is None else last + 1,
        mode=mode,
        strategy=strategy,
        reason=reason if reason in (Reason.MANUAL, Reason.REQUEST) else Reason.MANUAL,
    )
    entry.full_clean()
    entry.save()
    _touch(actor, schedule, expected_version, {"added": client.pk, "day": day.isoformat()}, request)
    return entry


@transaction.atomic
def schedule_entry_change(
    *, actor, entry: ScheduleEntry, data: dict, expected_version: int | None = None, request=None
) -> ScheduleEntry:
    """Move an entry to another day or place on the route, or change its mode or strategy."""
    schedule = entry.schedule
    _editable(actor, schedule)
    if "day" in data and data["day"] != entry.day:
        if Visit.objects.filter(entry=entry).exists():
            raise ValidationError({"day": [_("This visit is already recorded; it stays on its day.")]})
        _check_day(schedule, data["day"])
        last = ScheduleEntry.objects.filter(schedule=schedule, day=data["day"]).aggregate(m=Max("position"))[
            "m"
        ]
        entry.day, entry.position = data["day"], 0 if last is None else last + 1
    for name in ("mode", "strategy"):
        if name in data:
            setattr(entry, name, data[name])
    entry.full_clean()
    entry.save()
    if "position" in data:
        _place(entry, data["position"])
    _touch(actor, schedule, expected_version, {"changed": entry.client_id}, request)
    return entry


def _place(entry: ScheduleEntry, position: int) -> None:
    """Put the entry at `position` on its day's route and number the day 0, 1, 2… again."""
    day = list(
        ScheduleEntry.objects.filter(schedule_id=entry.schedule_id, day=entry.day)
        .exclude(pk=entry.pk)
        .order_by("position", "id")
    )
    day.insert(min(max(position, 0), len(day)), entry)
    for number, item in enumerate(day):
        item.position = number
    ScheduleEntry.objects.bulk_update(day, ["position"])


@transaction.atomic
def schedule_entry_remove(
    *, actor, entry: ScheduleEntry, expected_version: int | None = None, request=None
) -> None:
    schedule = entry.schedule
    _editable(actor, schedule)
    if Visit.objects.filter(entry=entry).exists():
        raise ValidationError(_("This visit is already recorded; it stays on the schedule."))
    client_id = entry.client_id
    entry.delete()
    _touch(actor, schedule, expected_version, {"removed": client_id}, request)


@transaction.atomic
def schedule_day_reroute(*, actor, schedule: VisitSchedule, day: date, request=None) -> list[ScheduleEntry]:
    """Order one day's clients into the shortest route."""
    _editable(actor, schedule)
    entries = list(
        ScheduleEntry.objects.filter(schedule=schedule, day=day).select_related("client__location")
    )
    by_client = {entry.client_id: entry for entry in entries}
    stops = []
    for entry in entries:
        place = getattr(entry.client, "location", None)
        lat = float(place.latitude) if place and place.latitude is not None else None
        lng = float(place.longitude) if place and place.longitude is not None else None
        stops.append(routing.Stop(key=entry.client_id, lat=lat, lng=lng, area=place.area if place else ""))
    ordered = [by_client[stop.key] for stop in routing.order_route(stops)]
    for position, entry in enumerate(ordered):
        entry.position = position
    ScheduleEntry.objects.bulk_update(ordered, ["position"])
    _touch(actor, schedule, None, {"rerouted": day.isoformat()}, request)
    return ordered


@transaction.atomic
def schedule_submit(*, actor, schedule: VisitSchedule, expected_version: int | None = None, request=None):
    _editable(actor, schedule)
    version = schedule.version if expected_version is None else expected_version
    updated = VisitSchedule.objects.filter(pk=schedule.pk, version=version).update(
        state=VisitSchedule.State.SUBMITTED, submitted_at=timezone.now(), version=F("version") + 1
    )
    if not updated:
        raise StaleSchedule()
    schedule.refresh_from_db()
    audit_record(event=AuditEvent.SCHEDULE_SUBMITTED, actor=actor, request=request, target=schedule)
    return schedule


@transaction.atomic
def schedule_review(*, actor, schedule: VisitSchedule, comment: str, accept: bool = True, request=None):
    """The supervisor reads a submitted schedule, comments, and accepts it or returns it for changes."""
    if not may_hand_over(actor) or schedule.owner_id == actor.pk:
        raise PermissionDenied(_("Only the account manager's supervisor reviews his schedule."))
    # The supervisor of another team does not review this one.
    if not VisitSchedule.objects.filter(records_q(actor, for_write=True), pk=schedule.pk).exists():
        raise PermissionDenied(_("Only the account manager's supervisor reviews his schedule."))
    if schedule.state != VisitSchedule.State.SUBMITTED:
        raise ValidationError(_("Only a submitted schedule is reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": [_("Say what should change before returning the schedule.")]})
    state = VisitSchedule.State.REVIEWED if accept else VisitSchedule.State.RETURNED
    # Filtered on the state, so two reviewers at once cannot both decide.
    updated = VisitSchedule.objects.filter(pk=schedule.pk, state=VisitSchedule.State.SUBMITTED).update(
        state=state,
        comment=comment.strip(),
        reviewer=actor,
        reviewed_at=timezone.now(),
        version=F("version") + 1,
    )
    if not updated:
        raise ValidationError(_("Only a submitted schedule is reviewed."))
    schedule.refresh_from_db()
    audit_record(
        event=AuditEvent.SCHEDULE_REVIEWED,
        actor=actor,
        request=request,
        target=schedule,
        detail={"accepted": accept},
    )
    return schedule
