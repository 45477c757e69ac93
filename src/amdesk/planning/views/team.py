"""The supervisor's team view: who handed in the day's log, who is missing, recent gaps."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amdesk.core import calendar

from .. import selectors
from ..forms import ReviewForm
from ..models import PlanningSettings
from .common import parse_day


@login_required
@require_GET
def team_view(request):
    """Scoped like everything else: an account manager sees his own row only."""
    today = timezone.localdate()
    day = min(parse_day(request.GET.get("day"), today), today)
    settings = PlanningSettings.current()
    start = day - timedelta(days=settings.missing_days)
    rows = selectors.team_day(viewer=request.user, day=day)
    missing = {
        row.person.pk: row.days for row in selectors.missing_logs(viewer=request.user, start=start, end=day)
    }
    for row in rows:
        row.missing = missing.get(row.person.pk, [])
    handed_in = sum(1 for row in rows if row.handed_in)
    context = {
        "day": day,
        "today": today,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < today else None,
        "is_working_day": calendar.is_working_day(day),
        "rows": rows,
        "handed_in": handed_in,
        "missing_count": len(rows) - handed_in,
        "since": start,
        "review_form": ReviewForm(),
    }
    return render(request, "planning/team.html", context)
