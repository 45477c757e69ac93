"""Improvement actions as the viewer may see them: an AM his own, a supervisor his team's, admins all."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amdesk.orgs.access import records_q, scoped

from ..models import ImprovementAction
from ..services.common import is_overseer


def action_list(*, viewer, state: str | None = None, survey_round=None, overdue: bool = False) -> QuerySet:
    actions = scoped(ImprovementAction.objects.all(), records_q(viewer)).select_related(
        "round", "owner", "org_node", "reviewed_by"
    )
    if state:
        actions = actions.filter(state=state)
    if survey_round is not None:
        actions = actions.filter(round=survey_round)
    if overdue:
        actions = actions.filter(overdue_q())
    return actions.order_by("state", "due_on", "id")


def overdue_q() -> Q:
    """Actions past their due date and still not submitted: ImprovementAction.overdue as a condition."""
    return Q(state=ImprovementAction.State.OPEN, due_on__lt=timezone.localdate())


def overdue_action_count(*, viewer) -> int:
    """For an overseer: the overdue actions of the account managers in his scope (his own left out:
    they are on his own list); 0 for everyone else. One query."""
    if not is_overseer(viewer):
        return 0
    return action_list(viewer=viewer).filter(overdue_q()).exclude(owner=viewer).count()


def access_action(viewer, action_id) -> ImprovementAction:
    """One action in scope; "not found" for missing and forbidden (who may write: the services)."""
    action = action_list(viewer=viewer).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such improvement action.")
    return action
