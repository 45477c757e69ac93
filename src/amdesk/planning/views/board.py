"""The supervisor's team board: per account manager in scope, the period's work logs and each weekly
and monthly document with its state and whether it is overdue, each linking to the document."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import selectors
from ..selectors.plans import MONTH, SCHEDULE, TARGETS, WEEK
from ..services.plans import ARRANGEMENT, KINDS, MONTHLY_PLAN, MONTHLY_SUMMARY, WEEKLY_SUMMARY
from .common import parse_day

COLUMNS = (SCHEDULE, ARRANGEMENT, WEEKLY_SUMMARY, TARGETS, MONTHLY_PLAN, MONTHLY_SUMMARY)


@login_required
@require_GET
def board_view(request):
    today = timezone.localdate()
    period = MONTH if request.GET.get("period") == MONTH else WEEK
    day = parse_day(request.GET.get("date"), today)
    board = selectors.team_board(viewer=request.user, period=period, day=day)
    if period == WEEK:
        previous, following = board.start - timedelta(days=7), board.start + timedelta(days=7)
    else:
        previous, following = selectors.previous_month(board.start), board.end + timedelta(days=1)
    for row in board.rows:
        row.columns = [row.cells[code] for code in COLUMNS]
    context = {
        "board": board,
        "period": period,
        "previous": previous,
        "next": following,
        "headers": [KINDS[code].label if code in KINDS else None for code in COLUMNS],
        "overdue_people": sum(1 for row in board.rows if row.overdue),
    }
    return render(request, "planning/board.html", context)
