"""Key-client follow-up plans 重点跟进客户计划: the list in scope (overdue first when asked), a new
plan, one plan with its actions recorded as done."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amdesk.clients.selectors import client_list

from .. import selectors, services
from ..models import FollowUpAction, FollowUpPlan
from .common import int_or_none, message_of, reported

LIST_LIMIT = 300
NEW_ACTION_ROWS = 3
CLIENT_CHOICES = 500


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _posted_actions(post) -> list[dict]:
    rows = []
    for n in range(NEW_ACTION_ROWS):
        kind, planned = post.get(f"kind-{n}", ""), post.get(f"planned-{n}", "")
        if not kind and not planned:
            continue
        rows.append({"kind": kind, "planned_on": _date(planned), "note": post.get(f"note-{n}", "")})
    return rows


@login_required
@require_GET
def follow_up_list_view(request):
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    plans = selectors.follow_ups_for(request.user, today=today)
    if overdue:
        plans = plans.filter(overdue_count__gt=0)
    plans = list(plans.order_by("-overdue_count", "next_on", "-id")[:LIST_LIMIT])
    context = {
        "plans": plans,
        "overdue": overdue,
        "actions": list(selectors.overdue_actions(request.user, today=today)[:LIST_LIMIT]) if overdue else [],
        "today": today,
    }
    return render(request, "planning/followup_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_new_view(request):
    status = 200
    if request.method == "POST":
        try:
            plan = services.follow_up_create(
                actor=request.user,
                client_id=int_or_none(request.POST.get("client")),
                client_type=request.POST.get("client_type", ""),
                resources=request.POST.get("resources", ""),
                actions=_posted_actions(request.POST),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            status = 400
        else:
            messages.success(request, _("Follow-up plan saved."))
            return redirect(plan.get_absolute_url())
    context = {
        "clients": client_list(viewer=request.user)
        .filter(owner=request.user)
        .order_by("name")[:CLIENT_CHOICES],
        "types": FollowUpPlan.ClientType.choices,
        "kinds": FollowUpAction.Kind.choices,
        "rows": range(NEW_ACTION_ROWS),
        "post": request.POST,
    }
    return render(request, "planning/followup_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_detail_view(request, pk: int):
    today = timezone.localdate()
    plan = selectors.access_follow_up(request.user, pk)
    if request.method == "POST":
        with reported(request, _("Follow-up plan saved.")):
            services.follow_up_update(
                actor=request.user,
                plan=plan,
                data={
                    "client_type": request.POST.get("client_type", plan.client_type),
                    "resources": request.POST.get("resources", ""),
                },
                add_actions=_posted_actions(request.POST),
                expected_version=int_or_none(request.POST.get("version")),
                request=request,
            )
        return redirect(plan.get_absolute_url())
    actions = list(plan.actions.all())
    for action in actions:
        action.overdue = action.is_overdue(today)
    context = {
        "plan": plan,
        "actions": actions,
        "is_owner": plan.owner_id == request.user.pk,
        "types": FollowUpPlan.ClientType.choices,
        "kinds": FollowUpAction.Kind.choices,
        "rows": range(NEW_ACTION_ROWS),
        "today": today,
    }
    return render(request, "planning/followup_detail.html", context)


@login_required
@require_POST
def follow_up_done_view(request, pk: int):
    action = selectors.access_follow_up_action(request.user, pk)
    with reported(request, _("Action recorded as done.")):
        services.follow_up_action_done(
            actor=request.user,
            action=action,
            done_on=_date(request.POST.get("done_on")) or timezone.localdate(),
            outcome=request.POST.get("outcome", ""),
            request=request,
        )
    return redirect(action.plan.get_absolute_url())
