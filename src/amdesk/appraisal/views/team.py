"""The supervisor's or head's team page: the period's table of his people (score, ranks, change),
the distribution of scores, each team's sign-off with its due date, and the sign-off action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.orgs.models import OrgNode
from amdesk.visits.views.common import reported

from ..models import AppraisalPeriod
from ..selectors.periods import access_period, card_list, score_buckets, team_states
from ..selectors.staffing import staffing_for
from ..services.access import is_appraisal_admin, leads_people
from ..services.periods import team_sign_off
from .common import posted_revision
from .posted import posted_id

ROWS_PER_PAGE = 100


def _require_overseer(request) -> None:
    if not (is_appraisal_admin(request.user) or leads_people(request.user)):
        raise PermissionDenied(_("This page is for supervisors and heads."))


@login_required
@require_GET
def team_view(request):
    _require_overseer(request)
    periods = list(
        AppraisalPeriod.objects.exclude(state=AppraisalPeriod.State.OPEN)
        .select_related("version__scheme")
        .order_by("-start")[:24]
    )
    chosen = request.GET.get("period", "")
    period = next((p for p in periods if str(p.pk) == chosen), periods[0] if periods else None)
    # The preset's staffing ratios per team, beside the results (the branch head's view of both).
    context = {
        "periods": periods,
        "period": period,
        "today": timezone.localdate(),
        "staffing": staffing_for(request.user),
    }
    if period is not None:
        cards = card_list(viewer=request.user, period=period)
        context.update(
            cards=Paginator(cards, ROWS_PER_PAGE).get_page(request.GET.get("page")),
            buckets=score_buckets(cards.values_list("score", flat=True)),
            teams=team_states(viewer=request.user, period=period),
        )
    return render(request, "appraisal/team/team.html", context)


@login_required
@require_POST
def sign_off_view(request, pk: int):
    period = access_period(request.user, pk)
    raw = request.POST.get("org_node", "")
    node_id = posted_id(raw)
    node = OrgNode.objects.filter(pk=node_id).first() if node_id is not None else None
    if node is None:
        messages.error(request, _("Choose the team to sign off."))
    else:
        with reported(request, _("Team sheet handed in.")):
            team_sign_off(
                actor=request.user,
                period=period,
                org_node=node,
                comment=request.POST.get("comment", ""),
                revision=posted_revision(request),
                request=request,
            )
    return redirect(f"{_team_url()}?period={period.pk}")


def _team_url() -> str:
    from django.urls import reverse

    return reverse("appraisal:team")
