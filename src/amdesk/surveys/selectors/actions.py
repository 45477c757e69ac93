"""Improvement actions as the viewer may see them: an AM his own, a supervisor his team's, admins all."""

from django.db.models import QuerySet
from django.http import Http404

from amdesk.orgs.access import records_q, scoped

from ..models import ImprovementAction


def action_list(*, viewer, state: str | None = None, survey_round=None) -> QuerySet:
    actions = scoped(ImprovementAction.objects.all(), records_q(viewer)).select_related(
        "round", "owner", "org_node", "reviewed_by"
    )
    if state:
        actions = actions.filter(state=state)
    if survey_round is not None:
        actions = actions.filter(round=survey_round)
    return actions.order_by("state", "due_on", "id")


def access_action(viewer, action_id) -> ImprovementAction:
    """One action in scope; "not found" for missing and forbidden (who may write: the services)."""
    action = action_list(viewer=viewer).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such improvement action.")
    return action
