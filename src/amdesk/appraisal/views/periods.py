"""The appraisal admin's pages of periods: the overview of what waits, the list, a period's detail
with its cards, and the actions (open, run, adjust a value, approve, reopen)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.visits.views.common import message_of, reported

from ..models import Scheme
from ..selectors.overview import admin_overview
from ..selectors.periods import (
    access_card,
    access_period,
    access_result,
    card_list,
    period_list,
    score_buckets,
    team_states,
)
from ..services.periods import period_approve, period_reopen, value_adjust
from ..services.runs import period_open, period_run
from .common import posted_revision, require_admin
from .my import render_card
from .posted import posted_id

CARDS_PER_PAGE = 50


@login_required
@require_GET
def admin_overview_view(request):
    require_admin(request)
    today = timezone.localdate()
    context = {
        "overview": admin_overview(viewer=request.user, today=today),
        "schemes": Scheme.objects.filter(is_active=True, versions__state="active")
        .distinct()
        .order_by("code"),
        "today": today,
    }
    return render(request, "appraisal/periods/overview.html", context)


@login_required
@require_GET
def period_list_view(request):
    require_admin(request)
    periods = Paginator(period_list(viewer=request.user), CARDS_PER_PAGE).get_page(request.GET.get("page"))
    schemes = Scheme.objects.filter(is_active=True, versions__state="active").distinct().order_by("code")
    return render(request, "appraisal/periods/list.html", {"periods": periods, "schemes": schemes})


@login_required
@require_GET
def period_detail_view(request, pk: int):
    require_admin(request)
    return _detail(request, access_period(request.user, pk))


def _detail(request, period, *, reopen_reason: str = "", status: int = 200):
    cards = Paginator(card_list(viewer=request.user, period=period), CARDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "period": period,
        "cards": cards,
        "teams": team_states(viewer=request.user, period=period),
        "buckets": score_buckets(
            card_list(viewer=request.user, period=period).values_list("score", flat=True)
        ),
        "reopen_reason": reopen_reason,
        "today": timezone.localdate(),
    }
    return render(request, "appraisal/periods/detail.html", context, status=status)


@login_required
@require_POST
def period_open_view(request):
    require_admin(request)
    scheme_id = posted_id(request.POST.get("scheme"))
    scheme = Scheme.objects.filter(pk=scheme_id).first() if scheme_id is not None else None
    start = (
        parse_date(request.POST.get("start") or "") if len(request.POST.get("start") or "") == 10 else None
    )
    if scheme is None or start is None:
        messages.error(request, _("Choose a scheme and a day in the period."))
        return redirect("appraisal:period-list")
    with reported(request, _("Period opened.")) as outcome:
        period = period_open(actor=request.user, scheme=scheme, start=start, request=request)
    return (
        redirect("appraisal:period-detail", pk=period.pk) if outcome.ok else redirect("appraisal:period-list")
    )


def _act(request, pk: int, action, success: str, **kwargs):
    require_admin(request)
    period = access_period(request.user, pk)
    with reported(request, success):
        action(
            actor=request.user, period=period, revision=posted_revision(request), request=request, **kwargs
        )
    return redirect("appraisal:period-detail", pk=period.pk)


@login_required
@require_POST
def period_run_view(request, pk: int):
    return _act(request, pk, period_run, _("Scores computed."))


@login_required
@require_POST
def period_approve_view(request, pk: int):
    return _act(request, pk, period_approve, _("Period approved and locked."))


@login_required
@require_POST
def period_reopen_view(request, pk: int):
    require_admin(request)
    period = access_period(request.user, pk)
    reason = request.POST.get("reason", "")
    try:
        period_reopen(
            actor=request.user,
            period=period,
            reason=reason,
            revision=posted_revision(request),
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        # The form keeps the reason typed.
        messages.error(request, message_of(exc) if isinstance(exc, ValidationError) else str(exc))
        return _detail(request, access_period(request.user, pk), reopen_reason=reason, status=400)
    messages.success(request, _("Period reopened."))
    return redirect("appraisal:period-detail", pk=period.pk)


@login_required
@require_POST
def result_adjust_view(request, pk: int):
    result = access_result(request.user, pk)
    raw = (request.POST.get("value") or "").strip()
    try:
        value = Decimal(raw) if raw else None
        if value is not None and (not value.is_finite() or abs(value) >= Decimal("1e14")):
            raise InvalidOperation
        value_adjust(
            actor=request.user,
            result=result,
            value=value,
            reason=request.POST.get("reason", ""),
            revision=posted_revision(request),
            request=request,
        )
    except InvalidOperation:
        error = _("Enter the value as a number.")
    except ValidationError as exc:
        error = message_of(exc)
    else:
        messages.success(request, _("Value adjusted."))
        return redirect("appraisal:card-detail", pk=result.card_id)
    # The form keeps what was typed.
    messages.error(request, error)
    typed = {"result": result.pk, "value": raw, "reason": request.POST.get("reason", "")}
    return render_card(request, access_card(request.user, result.card_id), adjust=typed, status=400)
