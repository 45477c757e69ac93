"""Scoped reads of key-client follow-up plans: an account manager his own, a supervisor his teams',
a branch head his branch's; overdue actions (planned before today, not done) for lists and the desk."""

from datetime import date

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from amdesk.orgs.access import records_q, scoped

from ..models import FollowUpAction, FollowUpPlan


def follow_ups_for(viewer, *, today: date | None = None) -> QuerySet:
    """Plans in scope; with `today`, annotated with open and overdue actions and the next date."""
    plans = scoped(FollowUpPlan.objects.all(), records_q(viewer)).select_related(
        "owner", "client", "org_node"
    )
    if today is not None:
        open_ = Q(actions__done_on__isnull=True)
        plans = plans.annotate(
            open_count=Count("actions", filter=open_),
            overdue_count=Count("actions", filter=open_ & Q(actions__planned_on__lt=today)),
            next_on=Min("actions__planned_on", filter=open_),
        )
    return plans


def access_follow_up(viewer, plan_id) -> FollowUpPlan:
    plan = follow_ups_for(viewer).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such follow-up plan.")
    return plan


def access_follow_up_action(viewer, action_id) -> FollowUpAction:
    action = (
        FollowUpAction.objects.filter(
            records_q(viewer, owner_field="plan__owner", node_field="plan__org_node"), pk=action_id
        )
        .select_related("plan")
        .first()
    )
    if action is None:
        raise Http404("No such follow-up action.")
    return action


def overdue_actions(viewer, *, today: date) -> QuerySet:
    """Actions planned before today and not done, in the viewer's scope, the oldest first."""
    return (
        scoped(
            FollowUpAction.objects.filter(done_on__isnull=True, planned_on__lt=today),
            records_q(viewer, owner_field="plan__owner", node_field="plan__org_node"),
        )
        .select_related("plan__client", "plan__owner")
        .order_by("planned_on", "id")
    )


__all__ = ["access_follow_up", "access_follow_up_action", "follow_ups_for", "overdue_actions"]
