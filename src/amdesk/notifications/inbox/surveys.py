"""Satisfaction improvement actions: the account manager records his (open ones), his supervisor
reviews those submitted (surveys.services.common.is_overseer, in his scope, not his own)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import records_q
from amdesk.surveys.models import ImprovementAction
from amdesk.surveys.services.common import is_overseer

from .common import count_and_first
from .registry import Item, source


def _item(action, today, *, who=False) -> Item:
    return Item(
        title=str(action.round),
        url=reverse("surveys:action", args=[action.pk]),
        due=action.due_on,
        overdue=action.state == ImprovementAction.State.OPEN and action.due_on < today,
        who=action.owner.get_full_name() if who else "",
    )


@source("improvement_actions_to_review", _("Improvement actions to review"), group="improvement")
def actions_to_review(viewer, today, limit):
    if not is_overseer(viewer):
        return 0, []
    actions = (
        ImprovementAction.objects.filter(records_q(viewer), state=ImprovementAction.State.SUBMITTED)
        .exclude(owner_id=viewer.pk)
        .select_related("round", "owner")
        .order_by("due_on", "id")
    )
    return count_and_first(actions, limit, lambda a: _item(a, today, who=True))


@source("my_improvement_actions", _("My improvement actions to record"), group="improvement")
def my_actions(viewer, today, limit):
    actions = (
        ImprovementAction.objects.filter(owner_id=viewer.pk, state=ImprovementAction.State.OPEN)
        .select_related("round", "owner")
        .order_by("due_on", "id")
    )
    return count_and_first(actions, limit, lambda a: _item(a, today))
