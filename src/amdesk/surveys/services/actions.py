"""Improvement actions (seed 000, 4.8): created when a round closes for account managers whose
clients' index is below the threshold; the AM records analysis and measures, the supervisor reviews."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import records_q, scope_of
from amdesk.orgs.models import Role, Staff

from ..models import ImprovementAction, SurveyResponse, SurveyRound, SurveySettings
from .common import StaleSurveyData


def improvement_actions_create(*, survey_round: SurveyRound, today: date | None = None) -> int:
    """One action per account manager of the round whose mean index is below the threshold and who
    has enough responses; set-based (one aggregate query, one insert). Returns how many were created."""
    settings = SurveySettings.current()
    today = today or timezone.localdate()
    rows = (
        SurveyResponse.objects.filter(round=survey_round, index__isnull=False)
        .values("owner_id")
        .annotate(value=Avg("index"), responses=Count("id"))
        .filter(value__lt=settings.low_score_threshold, responses__gte=settings.min_responses_for_action)
        .order_by("owner_id")
    )
    rows = list(rows)
    nodes = dict(Staff.objects.filter(pk__in=[r["owner_id"] for r in rows]).values_list("pk", "org_node_id"))
    fallback = dict(
        SurveyResponse.objects.filter(round=survey_round, owner_id__in=[r["owner_id"] for r in rows])
        .values_list("owner_id", "org_node_id")
        .distinct()
    )
    created = ImprovementAction.objects.bulk_create(
        [
            ImprovementAction(
                round=survey_round,
                owner_id=r["owner_id"],
                org_node_id=nodes.get(r["owner_id"]) or fallback[r["owner_id"]],
                index=round(r["value"], 2),
                threshold=settings.low_score_threshold,
                responses=r["responses"],
                due_on=today + timedelta(days=settings.action_due_days),
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )
    return len(created)


def _audit(actor, action: ImprovementAction, what: str, request=None, **detail) -> None:
    audit_record(
        event=AuditEvent.SURVEY_ACTION_RECORDED,
        actor=actor,
        request=request,
        target=action,
        detail={"action": what, "round": action.round_id, **detail},
    )


def may_review_action(viewer, action: ImprovementAction) -> bool:
    """The supervisor (or head, admin) over the action's AM; never the AM himself."""
    scope = scope_of(viewer)
    if scope.kind == Role.Scope.OWN or viewer.pk == action.owner_id:
        return False
    return ImprovementAction.objects.filter(records_q(viewer), pk=action.pk).exists()


@transaction.atomic
def improvement_action_record(
    *,
    actor,
    action: ImprovementAction,
    version: int,
    analysis: str,
    measures: str,
    due_on: date | None = None,
    submit: bool = True,
    request=None,
) -> ImprovementAction:
    """The account manager writes his analysis and measures; `submit` sends them for review."""
    if actor.pk != action.owner_id:
        raise PermissionDenied(_("Only the account manager concerned records this improvement action."))
    if action.state == ImprovementAction.State.DONE:
        raise ValidationError(_("This improvement action has been reviewed and is closed."))
    errors: dict[str, list[str]] = {}
    if submit and not analysis.strip():
        errors["analysis"] = [_("Analyse what the clients said before submitting.")]
    if submit and not measures.strip():
        errors["measures"] = [_("Say which measures you take.")]
    if due_on is not None and due_on < timezone.localdate() and submit:
        errors["due_on"] = [_("The measures are due today or later.")]
    if errors:
        raise ValidationError(errors)
    state = ImprovementAction.State.SUBMITTED if submit else ImprovementAction.State.OPEN
    now = timezone.now()
    values = {
        "analysis": analysis.strip(),
        "measures": measures.strip(),
        "state": state,
        "recorded_at": now,
        "due_on": due_on or action.due_on,
    }
    if not ImprovementAction.objects.filter(pk=action.pk, version=version).update(
        **values, version=F("version") + 1
    ):
        raise StaleSurveyData
    for name, value in values.items():
        setattr(action, name, value)
    action.version = version + 1
    _audit(actor, action, "submit" if submit else "save", request)
    return action


@transaction.atomic
def improvement_action_review(
    *, actor, action: ImprovementAction, version: int, accept: bool, comment: str = "", request=None
) -> ImprovementAction:
    """The supervisor accepts the measures (done) or returns them to the AM with a comment (open)."""
    if not may_review_action(actor, action):
        raise PermissionDenied(_("Only the account manager's supervisor reviews this improvement action."))
    if action.state != ImprovementAction.State.SUBMITTED:
        raise ValidationError(_("Only a submitted improvement action can be reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"review_comment": [_("Say what must be improved when returning it.")]})
    values = {
        "state": ImprovementAction.State.DONE if accept else ImprovementAction.State.OPEN,
        "review_comment": comment.strip(),
        "reviewed_by": actor,
        "reviewed_at": timezone.now(),
    }
    if not ImprovementAction.objects.filter(pk=action.pk, version=version).update(
        **values, version=F("version") + 1
    ):
        raise StaleSurveyData
    for name, value in values.items():
        setattr(action, name, value)
    action.version = version + 1
    _audit(actor, action, "accept" if accept else "return", request)
    return action


__all__ = [
    "improvement_action_record",
    "improvement_action_review",
    "improvement_actions_create",
    "may_review_action",
]
