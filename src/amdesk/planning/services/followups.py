"""The key-client follow-up plan 重点跟进客户计划: the account manager plans actions for a client of
his scope and records each one as done with its outcome."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import access_client

from ..models import FollowUpAction, FollowUpPlan
from .common import StaleDocument

MAX_TEXT = 2_000


def _text(value, name: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({name: [_("Keep it under %(max)d characters.") % {"max": limit}]})
    return value


def _action(data: dict, *, today: date) -> FollowUpAction:
    kind = data.get("kind")
    if kind not in FollowUpAction.Kind.values:
        raise ValidationError({"kind": [_("Choose one of the planned actions.")]})
    planned_on = data.get("planned_on")
    if not isinstance(planned_on, date):
        raise ValidationError({"planned_on": [_("Give the planned date.")]})
    note = _text(data.get("note"), "note", 200)
    if kind == FollowUpAction.Kind.OTHER and not note:
        raise ValidationError({"note": [_("Say what the other action is.")]})
    return FollowUpAction(kind=kind, note=note, planned_on=planned_on)


def _owner_only(actor, plan: FollowUpPlan) -> None:
    if plan.owner_id != actor.pk:
        raise PermissionDenied(_("Only the account manager works on his own follow-up plan."))


@transaction.atomic
def follow_up_create(
    *,
    actor,
    client_id: int,
    client_type: str,
    resources: str = "",
    actions: list[dict] = (),
    request=None,
    today: date | None = None,
) -> FollowUpPlan:
    """A plan of the actor's for a client in his scope, with its planned actions."""
    today = today or timezone.localdate()
    if actor.org_node_id is None:
        raise ValidationError(_("An account manager needs an org node before he plans follow-ups."))
    try:
        client = access_client(actor, client_id, for_write=True)
    except (Http404, PermissionDenied):
        raise ValidationError({"client": [_("Choose a client of yours.")]}) from None
    if client_type not in FollowUpPlan.ClientType.values:
        raise ValidationError({"client_type": [_("Choose prospect, won client or centre of influence.")]})
    planned = [_action(data, today=today) for data in actions]
    plan = FollowUpPlan.objects.create(
        owner=actor,
        org_node_id=actor.org_node_id,
        client=client,
        client_type=client_type,
        resources=_text(resources, "resources"),
    )
    for action in planned:
        action.plan = plan
    FollowUpAction.objects.bulk_create(planned)
    audit_record(
        event=AuditEvent.FOLLOW_UP_SAVED,
        actor=actor,
        request=request,
        target=plan,
        detail={"created": True, "client": client.pk, "actions": len(planned)},
    )
    return plan


@transaction.atomic
def follow_up_update(
    *,
    actor,
    plan: FollowUpPlan,
    data: dict,
    add_actions: list[dict] = (),
    expected_version: int | None = None,
    request=None,
    today: date | None = None,
) -> FollowUpPlan:
    """Change the plan's type or resources and add planned actions (the owner, on the version read)."""
    _owner_only(actor, plan)
    today = today or timezone.localdate()
    version = plan.version if expected_version is None else expected_version
    if plan.version != version:
        raise StaleDocument()
    values = {}
    if "client_type" in data:
        if data["client_type"] not in FollowUpPlan.ClientType.values:
            raise ValidationError({"client_type": [_("Choose prospect, won client or centre of influence.")]})
        values["client_type"] = data["client_type"]
    if "resources" in data:
        values["resources"] = _text(data["resources"], "resources")
    values = {name: value for name, value in values.items() if getattr(plan, name) != value}
    added = [_action(row, today=today) for row in add_actions]
    if not values and not added:
        return plan
    updated = FollowUpPlan.objects.filter(pk=plan.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not updated:
        raise StaleDocument()
    for action in added:
        action.plan = plan
    FollowUpAction.objects.bulk_create(added)
    plan.refresh_from_db()
    audit_record(
        event=AuditEvent.FOLLOW_UP_SAVED,
        actor=actor,
        request=request,
        target=plan,
        detail={"fields": sorted(values), "actions_added": len(added)},
    )
    return plan


@transaction.atomic
def follow_up_action_done(
    *,
    actor,
    action: FollowUpAction,
    done_on: date,
    outcome: str = "",
    request=None,
    today: date | None = None,
) -> FollowUpAction:
    """Record a planned action as done (on a day not to come) with its outcome."""
    plan = action.plan
    _owner_only(actor, plan)
    today = today or timezone.localdate()
    if done_on > today:
        raise ValidationError({"done_on": [_("An action is recorded as done on the day or after it.")]})
    if action.done_on is not None:
        raise ValidationError(_("This action is already done."))
    outcome = _text(outcome, "outcome")
    updated = FollowUpAction.objects.filter(pk=action.pk, done_on__isnull=True).update(
        done_on=done_on, outcome=outcome
    )
    if not updated:
        raise StaleDocument()
    FollowUpPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())
    action.refresh_from_db()
    audit_record(
        event=AuditEvent.FOLLOW_UP_ACTION_DONE,
        actor=actor,
        request=request,
        target=plan,
        detail={"action": action.pk, "kind": action.kind, "done_on": done_on.isoformat()},
    )
    return action


__all__ = ["follow_up_action_done", "follow_up_create", "follow_up_update"]
