"""Visits: schedules handed in for the supervisor's review, findings (market anomalies, unlicensed
trading…) to handle (each linking to the visit record that raised it), and the account manager's own
returned schedules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import may_hand_over, records_q
from amdesk.visits.models import VisitFinding, VisitSchedule

from .common import count_and_first
from .registry import Item, source


@source("schedules_to_review", _("Visit schedules to review"), group="review")
def schedules_to_review(viewer, today, limit):
    if not may_hand_over(viewer):
        return 0, []
    schedules = (
        VisitSchedule.objects.filter(records_q(viewer, for_write=True), state=VisitSchedule.State.SUBMITTED)
        .exclude(owner_id=viewer.pk)
        .select_related("owner")
        .order_by("week_start", "id")
    )
    return count_and_first(
        schedules,
        limit,
        lambda s: Item(
            title=str(_("Visit schedule of the week of %(week)s") % {"week": s.week_start.isoformat()}),
            url=s.get_absolute_url(),
            due=s.week_start,
            overdue=s.week_start <= today,
            who=s.owner.get_full_name(),
        ),
    )


@source("findings_to_handle", _("Visit anomalies to handle"), group="approvals", more_url="visits:findings")
def findings_to_handle(viewer, today, limit):
    if not may_hand_over(viewer):
        return 0, []
    findings = (
        VisitFinding.objects.filter(records_q(viewer, for_write=True), closed_at__isnull=True)
        .exclude(owner_id=viewer.pk)
        .select_related("owner", "client", "anomaly")
        .order_by("raised_at", "id")
    )
    # Each links to the visit record that raised it (what was seen, the client's signature); the
    # section links to the findings queue, where the outcome is recorded.
    return count_and_first(
        findings,
        limit,
        lambda f: Item(
            title=f"{f.kind_label}: {f.client.name}",
            url=reverse("visits:detail", args=[f.visit_id]),
            due=f.raised_at,
            who=f.owner.get_full_name(),
        ),
    )


@source("my_schedules_returned", _("My visit schedules returned"), group="mine")
def my_schedules_returned(viewer, today, limit):
    schedules = VisitSchedule.objects.filter(owner_id=viewer.pk, state=VisitSchedule.State.RETURNED).order_by(
        "week_start", "id"
    )
    return count_and_first(
        schedules,
        limit,
        lambda s: Item(
            title=str(_("Visit schedule of the week of %(week)s") % {"week": s.week_start.isoformat()}),
            url=s.get_absolute_url(),
            due=s.week_start,
        ),
    )
