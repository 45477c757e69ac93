"""Daily work logs: the account manager's log of a day, the list, one log with its review."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amdesk.core import calendar
from amdesk.orgs.access import oversees

from .. import selectors, services
from ..forms import ReviewForm, WorkLogForm
from ..models import PerformanceItem, PlanningSettings, WorkLog
from ..workflow import DocState
from .common import apply_errors, int_or_none, message_of, parse_day, parse_month, reported

LIST_LIMIT = 500  # a month of a branch's logs fits; the API pages beyond


def _items(log: WorkLog | None) -> list[PerformanceItem]:
    return [row["item"] for row in selectors.opening_rows(log)]


def _initial(log: WorkLog | None, items) -> dict:
    if log is None:
        return {}
    initial = {
        name: getattr(log, name)
        for name in (
            "prospects_visited",
            "counter_consultations",
            "phone_consultations",
            "cooperation",
            "problems",
            "other",
        )
    }
    initial["version"] = log.version
    counts = {row["item"].pk: row["count"] for row in selectors.opening_rows(log)}
    for item in items:
        initial[f"opening-{item.code}"] = counts.get(item.pk, 0)
    return initial


@login_required
@require_GET
def home_view(request):
    today = timezone.localdate()
    context = {
        "today": today,
        "desk": selectors.planning_desk(request.user, today=today),
        "recent": list(selectors.work_logs_for(request.user).filter(owner=request.user)[:10]),
        "oversees": oversees(request.user),
    }
    return render(request, "planning/home.html", context)


@login_required
@require_GET
def today_view(request):
    return redirect("planning:day", day=timezone.localdate().isoformat())


@login_required
@require_http_methods(["GET", "POST"])
def day_view(request, day: str):
    """The viewer's own log of a day: the form while it is his to edit, else what he handed in."""
    today = timezone.localdate()
    day = parse_day(day, today)
    log = WorkLog.objects.filter(owner=request.user, day=day).select_related("reviewer").first()
    items = _items(log)
    form = WorkLogForm(request.POST or None, initial=_initial(log, items), items=items)
    editable = day <= today and (log is None or log.is_editable)
    status = 200
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This work log is submitted; it can no longer be changed."))
            return redirect("planning:day", day=day.isoformat())
        if form.is_valid():
            submit = request.POST.get("submit") == "1"
            try:
                with transaction.atomic():  # saved and submitted together, or neither
                    log = services.work_log_save(
                        actor=request.user,
                        day=day,
                        data=form.log_data(),
                        openings=form.openings(),
                        expected_version=form.cleaned_data.get("version"),
                        request=request,
                    )
                    if submit:
                        services.document_transition(
                            actor=request.user, document=log, action="submit", request=request
                        )
            except services.StaleDocument as exc:
                messages.error(request, message_of(exc))
                status = 409
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                status = 403
            else:
                messages.success(
                    request, _("Work log submitted to your supervisor.") if submit else _("Work log saved.")
                )
                return redirect("planning:day", day=day.isoformat())
        else:
            status = 400
    due = services.shown_due_at(log) if log else services.due_at(day, PlanningSettings.current().log_due_time)
    context = {
        "day": day,
        "today": today,
        "log": log,
        "form": form,
        "editable": editable,
        "events": list(log.events.select_related("actor")) if log else [],
        "openings": selectors.opening_rows(log) if log else [],
        "due": due,
        "due_provisional": services.due_provisional(due),
        "is_working_day": calendar.is_working_day(day),
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < today else None,
    }
    return render(request, "planning/log_day.html", context, status=status)


@login_required
@require_GET
def log_list_view(request):
    """Logs in the viewer's scope for a month, newest first (a fixed number of queries)."""
    month = parse_month(request.GET.get("month"), timezone.localdate())
    end = services.month_end(month)
    logs = selectors.work_logs_for(request.user).filter(day__range=(month, end))
    owner = int_or_none(request.GET.get("owner"))
    if owner:
        logs = logs.filter(owner=owner)
    state = request.GET.get("state", "")
    if state in DocState.values:
        logs = logs.filter(state=state)
    logs = list(logs.order_by("-day", "owner__employee_no")[:LIST_LIMIT])
    openings = selectors.openings_of(logs)
    for log in logs:
        log.opened = sum(row.count for row in openings[log.pk])
    previous = (month - timedelta(days=1)).replace(day=1)
    context = {
        "month": month,
        "previous": previous,
        "next": end + timedelta(days=1),
        "logs": logs,
        "states": DocState.choices,
        "state": state,
        "owner": owner,
        "people": list(selectors.account_managers_for(request.user)) if oversees(request.user) else [],
        "limited": len(logs) == LIST_LIMIT,
    }
    return render(request, "planning/log_list.html", context)


@login_required
@require_GET
def log_detail_view(request, pk: int):
    log = selectors.access_work_log(request.user, pk)
    due = services.shown_due_at(log)
    context = {
        "log": log,
        "due": due,
        "due_provisional": services.due_provisional(due),
        "openings": selectors.opening_rows(log),
        "events": list(log.events.select_related("actor")),
        "is_owner": log.owner_id == request.user.pk,
        "may_review": services.may_review(request.user, log) and log.state == DocState.SUBMITTED,
        "review_form": ReviewForm(),
    }
    return render(request, "planning/log_detail.html", context)


@login_required
@require_POST
def log_review_view(request, pk: int):
    log = selectors.access_work_log(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to mark the log as read or return it."))
        return redirect(log.get_absolute_url())
    decision = form.cleaned_data["decision"]
    with reported(
        request,
        _("Work log returned for changes.") if decision == "return" else _("Work log marked as read."),
    ) as outcome:
        services.document_transition(
            actor=request.user,
            document=log,
            action=decision,
            version=int_or_none(request.POST.get("version")),
            comment=form.cleaned_data.get("comment", ""),
            request=request,
        )
    if outcome.ok and request.POST.get("next") == "team":
        return redirect(reverse("planning:team") + f"?day={log.day.isoformat()}")
    return redirect(log.get_absolute_url())
