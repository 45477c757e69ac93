"""Appraisal: team sign-offs due for a supervisor or head (appraisal.selectors.overview
.team_sign_offs_due), and for the appraisal admin what his overview page lists
(appraisal.selectors.overview.admin_overview, read once for his five sources): the periods to open,
to run and to approve, the ladder proposals waiting for his decision and the manual values missing."""

from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from amdesk.appraisal.models import LadderProposal
from amdesk.appraisal.selectors.overview import admin_overview, team_sign_offs_due
from amdesk.appraisal.services.access import is_appraisal_admin, leads_people

from .registry import Item, shared, source


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


def _overview(viewer, today):
    """The admin's overview (None for anyone else), computed once for the sources below."""
    if not is_appraisal_admin(viewer):
        return None
    return shared(
        ("appraisal_overview", viewer.pk, today), lambda: admin_overview(viewer=viewer, today=today)
    )


@source(
    "periods_to_open", _("Appraisal periods to open"), group="appraisal", more_url="appraisal:admin-overview"
)
def periods_to_open(viewer, today, limit):
    overview = _overview(viewer, today)
    if overview is None:
        return 0, []
    url = reverse("appraisal:admin-overview")
    items = [Item(title=f"{scheme.name} {start:%Y-%m}", url=url) for scheme, start in overview.to_open]
    return len(items), items[:limit]


@source("periods_to_run", _("Appraisal periods to compute"), group="appraisal")
def periods_to_run(viewer, today, limit):
    overview = _overview(viewer, today)
    if overview is None:
        return 0, []
    items = [
        Item(title=str(period), url=reverse("appraisal:period-detail", args=[period.pk]))
        for period in overview.to_run
    ]
    return len(items), items[:limit]


@source("manual_values_missing", _("Manual appraisal values to enter"), group="appraisal")
def manual_values_missing(viewer, today, limit):
    """One item per period whose population still lacks manual values (the overview's newest
    periods), saying how many."""
    overview = _overview(viewer, today)
    if overview is None:
        return 0, []
    url = reverse("appraisal:manual-values")
    items = [
        Item(title=_t("%(name)s: %(n)s manual values to enter") % {"name": period, "n": missing}, url=url)
        for period, missing in overview.manual_missing
    ]
    return len(items), items[:limit]


@source(
    "ladder_proposals",
    _("Ladder proposals to decide"),
    group="appraisal",
    more_url="appraisal:ladder-proposals",
)
def ladder_proposals(viewer, today, limit):
    overview = _overview(viewer, today)
    if overview is None or not overview.ladder_waiting:
        return 0, []
    items = []
    if limit:
        proposals = (
            LadderProposal.objects.filter(state=LadderProposal.State.PENDING)
            .select_related("staff", "period")
            .order_by("period_id", "id")[:limit]
        )
        url = reverse("appraisal:ladder-proposals")
        items = [Item(title=f"{p.period}: {p.staff.get_full_name()}", url=url) for p in proposals]
    return overview.ladder_waiting, items


@source("periods_to_approve", _("Appraisal periods to approve"), group="appraisal")
def periods_to_approve(viewer, today, limit):
    overview = _overview(viewer, today)
    if overview is None:
        return 0, []
    items = [
        Item(
            title=str(period)
            if not missing
            else _t("%(period)s (%(n)s team sheets missing)") % {"period": period, "n": missing},
            url=reverse("appraisal:period-detail", args=[period.pk]),
            due=period.sign_off_due,
            overdue=bool(period.sign_off_due and period.sign_off_due < today),
        )
        for period, missing in overview.to_approve
    ]
    return len(items), items[:limit]
