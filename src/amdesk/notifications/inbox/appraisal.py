"""Appraisal: team sign-offs due for a supervisor or head (appraisal.selectors.overview
.team_sign_offs_due), and for the appraisal admin the ladder proposals waiting for his decision
and the computed periods waiting for approval."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.appraisal.models import AppraisalPeriod, LadderProposal
from amdesk.appraisal.selectors.overview import team_sign_offs_due
from amdesk.appraisal.services.access import is_appraisal_admin, leads_people

from .common import count_and_first
from .registry import Item, source


@source("sign_offs_due", _("Team appraisal sheets to sign off"), group="appraisal")
def sign_offs_due(viewer, today, limit):
    if not leads_people(viewer):
        return 0, []
    due = team_sign_offs_due(viewer=viewer, today=today)
    url = reverse("appraisal:team")
    items = [
        Item(title=f"{d.period}: {team.node}", url=url, due=d.period.sign_off_due, overdue=d.overdue)
        for d in due
        for team in d.missing
    ]
    return len(items), items[:limit]


@source("ladder_proposals", _("Ladder proposals to decide"), group="appraisal")
def ladder_proposals(viewer, today, limit):
    if not is_appraisal_admin(viewer):
        return 0, []
    proposals = (
        LadderProposal.objects.filter(state=LadderProposal.State.PENDING)
        .select_related("staff", "period")
        .order_by("period_id", "id")
    )
    url = reverse("appraisal:ladder-proposals")
    return count_and_first(
        proposals, limit, lambda p: Item(title=f"{p.period}: {p.staff.get_full_name()}", url=url)
    )


@source("periods_to_approve", _("Appraisal periods to approve"), group="appraisal")
def periods_to_approve(viewer, today, limit):
    if not is_appraisal_admin(viewer):
        return 0, []
    periods = AppraisalPeriod.objects.filter(state=AppraisalPeriod.State.COMPUTED).order_by("start", "id")
    return count_and_first(
        periods,
        limit,
        lambda p: Item(
            title=str(p),
            url=reverse("appraisal:period-detail", args=[p.pk]),
            due=p.sign_off_due,
            overdue=bool(p.sign_off_due and p.sign_off_due < today),
        ),
    )
