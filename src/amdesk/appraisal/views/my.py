"""The account manager's "my score" page and the explained card (his own, or one in the viewer's
scope: a supervisor's drill-down into his team, the admin's view with the adjust forms)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.explain import card_explain
from ..selectors.periods import access_card, card_list, latest_card
from ..selectors.training import credits_by_staff
from ..services.access import is_appraisal_admin

HISTORY = 12


@login_required
@require_GET
def my_score_view(request):
    card = latest_card(viewer=request.user)
    context = {
        "card": card,
        "explanation": card_explain(card) if card else None,
        "history": card_list(viewer=request.user).filter(staff=request.user)[:HISTORY],
        "training_credits": _credits(card),
    }
    return render(request, "appraisal/my/score.html", context)


def _credits(card) -> float | None:
    """The training credits 培训积分 the person earned in the card's period, shown with his score."""
    if card is None:
        return None
    return credits_by_staff([card.staff_id], card.period.start, card.period.end).get(card.staff_id, 0.0)


@login_required
@require_GET
def card_detail_view(request, pk: int):
    return render_card(request, access_card(request.user, pk))


def render_card(request, card, *, adjust: dict | None = None, status: int = 200):
    is_admin = is_appraisal_admin(request.user)
    may_adjust = is_admin and card.period.state == card.period.State.COMPUTED
    context = {
        "card": card,
        "explanation": card_explain(card),
        "may_adjust": may_adjust,
        "is_admin": is_admin,
        "adjust": adjust or {},
        "own": card.staff_id == request.user.pk,
        "training_credits": _credits(card),
    }
    return render(request, "appraisal/my/card.html", context, status=status)
