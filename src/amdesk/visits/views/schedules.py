"""Weekly visit schedules: the AM's week and day views, his edits, the supervisor's review."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.clients.models import Client
from amdesk.orgs.access import may_hand_over, oversees, staff_q
from amdesk.orgs.models import Staff

from .. import routing, selectors, services
from ..forms import EntryAddForm, EntryChangeForm, ReviewForm
from ..models import ScheduleEntry, Visit, VisitSchedule, VisitSettings
from ..services.schedule_due import schedule_due_at
from .common import reported

CLIENT_CHOICES = 300


def _week(value: str | None) -> date:
    try:
        return (
            services.week_of(date.fromisoformat(value)) if value else services.week_of(timezone.localdate())
        )
    except ValueError:
        raise Http404("No such week.") from None


@login_required
@require_GET
def schedule_list_view(request):
    """Schedules of a week: the viewer's own, and for a supervisor each AM of his teams (missing ones too)."""
    week = _week(request.GET.get("week"))
    schedules = {s.owner_id: s for s in selectors.schedules_for(request.user).filter(week_start=week)}
    people = []
    if oversees(request.user):
        people = list(
            Staff.objects.filter(
                staff_q(request.user), roles__code="account_manager", status=Staff.Status.ACTIVE
            )
            .select_related("org_node")
            .distinct()
            .order_by("employee_no")
        )
    rows = [(person, schedules.get(person.pk)) for person in people]
    context = {
        "week": week,
        "previous": week - timedelta(days=7),
        "next": week + timedelta(days=7),
        "rows": rows,
        "mine": schedules.get(request.user.pk),
        "oversees": oversees(request.user),
        "own_history": list(selectors.schedules_for(request.user).filter(owner=request.user)[:12]),
    }
    return render(request, "visits/schedule_list.html", context)


@login_required
def schedule_week_view(request, week: str):
    """Open the viewer's own schedule of a week; this or a later week is proposed when missing."""
    monday = _week(week)
    existing = VisitSchedule.objects.filter(owner=request.user, week_start=monday).first()
    if existing is None:
        if monday < services.week_of(timezone.localdate()):
            messages.info(request, _("There is no schedule for that week."))
            return redirect(reverse("visits:schedules") + f"?week={monday.isoformat()}")
        proposal = services.schedule_propose(owner=request.user, week_start=monday)
        existing = proposal.schedule
        if proposal.left_over:
            messages.warning(
                request,
                _("%(n)d clients due that week did not fit in the daily limit; add them by hand if needed.")
                % {"n": len(proposal.left_over)},
            )
    return redirect(existing.get_absolute_url())


def _days(schedule: VisitSchedule, entries: list[ScheduleEntry]) -> list[dict]:
    settings = VisitSettings.current()
    days = []
    for offset in range(settings.workdays_per_week):
        day = schedule.week_start + timedelta(days=offset)
        todays = [entry for entry in entries if entry.day == day]
        stops = [_stop(entry) for entry in todays]
        days.append({"day": day, "entries": todays, "km": round(routing.route_length(stops), 1)})
    extra = sorted({entry.day for entry in entries} - {d["day"] for d in days})
    for day in extra:  # weekend entries added by hand
        todays = [entry for entry in entries if entry.day == day]
        days.append(
            {"day": day, "entries": todays, "km": round(routing.route_length([_stop(e) for e in todays]), 1)}
        )
    return days


def _stop(entry: ScheduleEntry) -> routing.Stop:
    place = getattr(entry.client, "location", None)
    if place is None or place.latitude is None:
        return routing.Stop(key=entry.client_id, lat=None, lng=None)
    return routing.Stop(key=entry.client_id, lat=float(place.latitude), lng=float(place.longitude))


@login_required
@require_GET
def schedule_detail_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    entries = list(selectors.schedule_entries(schedule))
    days = _days(schedule, entries)
    chosen = request.GET.get("day")
    day_view = next((d for d in days if d["day"].isoformat() == chosen), None)
    is_owner = schedule.owner_id == request.user.pk
    context = {
        "schedule": schedule,
        "days": days,
        "day_view": day_view,
        "is_owner": is_owner,
        "editable": is_owner and schedule.is_editable,
        "may_review": may_hand_over(request.user)
        and not is_owner
        and schedule.state == VisitSchedule.State.SUBMITTED,
        "review_form": ReviewForm(),
        "modes": Visit.Mode.choices,
        "today": timezone.localdate(),
        "due_at": schedule_due_at(schedule.week_start),
        "now": timezone.now(),
    }
    if context["editable"]:
        scheduled = {entry.client_id for entry in entries}
        context["client_choices"] = list(
            Client.objects.filter(owner=request.user)
            .exclude(lifecycle=Client.Lifecycle.LOST)
            .exclude(pk__in=scheduled)
            .order_by("name", "pk")
            .values("pk", "name")[:CLIENT_CHOICES]
        )
    return render(request, "visits/schedule_detail.html", context)


def _back(schedule: VisitSchedule, day: date | None = None):
    url = schedule.get_absolute_url()
    return redirect(f"{url}?day={day.isoformat()}" if day else url)


@login_required
@require_POST
def schedule_entry_add_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    form = EntryAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a client and a day."))
        return _back(schedule)
    data = form.cleaned_data
    client = Client.objects.filter(pk=data["client"], owner=request.user).first()
    with reported(request):
        if client is None:
            raise ValidationError(_("This client is not in your scope."))
        services.schedule_entry_add(
            actor=request.user,
            schedule=schedule,
            client=client,
            day=data["day"],
            mode=data["mode"],
            strategy=data.get("strategy", ""),
            reason=ScheduleEntry.Reason.REQUEST if data.get("request") else ScheduleEntry.Reason.MANUAL,
            expected_version=data.get("version"),
            request=request,
        )
    return _back(schedule, data["day"])


def _entry(request, pk: int, entry_id: int) -> ScheduleEntry:
    schedule = selectors.access_schedule(request.user, pk)
    entry = ScheduleEntry.objects.filter(pk=entry_id, schedule=schedule).select_related("schedule").first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


@login_required
@require_POST
def schedule_entry_change_view(request, pk: int, entry_id: int):
    entry = _entry(request, pk, entry_id)
    form = EntryChangeForm(request.POST)
    if form.is_valid():
        data = {
            key: value
            for key, value in form.cleaned_data.items()
            if value not in (None, "") and key != "version"
        }
        with reported(request):
            services.schedule_entry_change(
                actor=request.user,
                entry=entry,
                data=data,
                expected_version=form.cleaned_data.get("version"),
                request=request,
            )
    return _back(entry.schedule, entry.day)


@login_required
@require_POST
def schedule_entry_remove_view(request, pk: int, entry_id: int):
    entry = _entry(request, pk, entry_id)
    day = entry.day
    with reported(request):
        services.schedule_entry_remove(actor=request.user, entry=entry, request=request)
    return _back(entry.schedule, day)


@login_required
@require_POST
def schedule_reroute_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        raise Http404("No such day.") from None
    with reported(request, _("The day's route is ordered for the shortest way.")) as outcome:
        services.schedule_day_reroute(actor=request.user, schedule=schedule, day=day, request=request)
    return _back(schedule, day if outcome.ok else None)


@login_required
@require_POST
def schedule_repropose_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    if schedule.owner_id != request.user.pk or not schedule.is_editable:
        raise PermissionDenied
    with reported(request, _("The schedule was proposed again from the norms and follow-ups.")):
        services.schedule_propose(owner=request.user, week_start=schedule.week_start, replace=True)
    return _back(schedule)


@login_required
@require_POST
def schedule_submit_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    with reported(request, _("Schedule submitted to your supervisor.")):
        services.schedule_submit(
            actor=request.user,
            schedule=schedule,
            expected_version=_int(request.POST.get("version")),
            request=request,
        )
    return _back(schedule)


@login_required
@require_POST
def schedule_review_view(request, pk: int):
    schedule = selectors.access_schedule(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or return the schedule."))
        return _back(schedule)
    with reported(request, _("Review saved.")):
        services.schedule_review(
            actor=request.user,
            schedule=schedule,
            comment=form.cleaned_data.get("comment", ""),
            accept=form.cleaned_data["decision"] == "accept",
            request=request,
        )
    return _back(schedule)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
