"""Follow-ups due: open key-client follow-up actions planned for today or tomorrow, to the plan's
owner, once per action and planned day."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.planning.models import FollowUpAction

from ..kinds import FOLLOWUP_DUE
from ..services import Draft

KINDS = (FOLLOWUP_DUE,)


def drafts(*, now, settings) -> list[Draft]:
    today = timezone.localdate(now)
    actions = FollowUpAction.objects.filter(
        done_on__isnull=True,
        planned_on__gte=today,
        planned_on__lte=today + timedelta(days=1),
        plan__owner__is_active=True,
    ).select_related("plan__client")
    found = []
    for action in actions:
        when = _("today") if action.planned_on == today else _("tomorrow")
        found.append(
            Draft(
                user_id=action.plan.owner_id,
                kind=FOLLOWUP_DUE,
                key=f"action:{action.pk}:{action.planned_on.isoformat()}",
                title=_("Follow-up %(when)s: %(action)s with %(client)s")
                % {"when": when, "action": action.get_kind_display(), "client": action.plan.client.name},
                body=action.note,
                url=action.plan.get_absolute_url(),
            )
        )
    return found
