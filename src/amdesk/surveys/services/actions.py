"""Improvement actions (seed 000, 4.8): created when a round closes for account managers whose
clients' index is below the threshold; the AM records analysis and measures, the supervisor reviews."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import records_q
from amdesk.orgs.models import Staff

from ..models import ImprovementAction, SurveyResponse, SurveyRound, SurveySettings
from ..scoring import index_value, is_low
from .common import StaleSurveyData, is_overseer


def improvement_actions_create(*, survey_round: SurveyRound, today: date | None = None) -> int:
    """One action per account manager of the round whose mean index is below the threshold and who
    has enough responses; one aggregate query (a row per AM), one insert. Returns how many were created.

    "Below" is decided by scoring.is_low on the index rounded as shown, exactly as the pages'
    low-scorer list decides it: an AM shown 70.0 against a threshold of 70 gets no action."""
    settings = SurveySettings.current()
    today = today or timezone.localdate()
    rows = (
        SurveyResponse.objects.filter(round=survey_round, index__isnull=False)
        .values("owner_id")
        .annotate(value=Avg("index"), responses=Count("id"))
        .filter(responses__gte=settings.min_responses_for_action)
        .order_by("owner_id")
    )
    rows = [r for r in rows if is_low(r["value"], settings.low_score_threshold)]
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
                index=Decimal(str(index_value(r["value"]))),
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
    """The supervisor (or head, admin) over the action's AM; never the AM himself, nor a product or
    risk manager who only reads the figures of his scope."""
    if not is_overseer(viewer) or viewer.pk == action.owner_id:
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
    submit: bool = True,
    request=None,
) -> ImprovementAction:
    """The account manager writes his analysis and measures; `submit` sends them for review.

    He writes only while the action is open (new, or returned by the supervisor): once submitted it
    is read-only for him until returned. The due date is the supervisor's (improvement_action_set_due).
    """
    if actor.pk != action.owner_id:
        raise PermissionDenied(_("Only the account manager concerned records this improvement action."))
    if action.state == ImprovementAction.State.DONE:
        raise ValidationError(_("This improvement action has been reviewed and is closed."))
    if action.state == ImprovementAction.State.SUBMITTED:
        raise ValidationError(
            _("These measures are with your supervisor for review; you may change them once returned.")
        )
    errors: dict[str, list[str]] = {}
    if submit and not analysis.strip():
        errors["analysis"] = [_("Analyse what the clients said before submitting.")]
    if submit and not measures.strip():
        errors["measures"] = [_("Say which measures you take.")]
    if errors:
        raise ValidationError(errors)
    state = ImprovementAction.State.SUBMITTED if submit else ImprovementAction.State.OPEN
    now = timezone.now()
    values = {
        "analysis": analysis.strip(),
        "measures": measures.strip(),
        "state": state,
        "recorded_at": now,
    }
    # The state in the condition too: a review that lands between reading and writing wins.
    if not ImprovementAction.objects.filter(
        pk=action.pk, version=version, state=ImprovementAction.State.OPEN
    ).update(**values, version=F("version") + 1):
        raise StaleSurveyData
    for name, value in values.items():
        setattr(action, name, value)
    action.version = version + 1
    _audit(actor, action, "submit" if submit else "save", request)
    return action


@transaction.atomic
def improvement_action_set_due(
    *, actor, action: ImprovementAction, version: int, due_on: date, request=None
) -> ImprovementAction:
    """The supervisor (never the AM himself) sets or moves the date the measures are due."""
    if not may_review_action(actor, action):
        raise PermissionDenied(_("Only the account manager's supervisor sets when the measures are due."))
    if action.state == ImprovementAction.State.DONE:
        raise ValidationError(_("This improvement action has been reviewed and is closed."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The measures are due today or later.")]})
    if not ImprovementAction.objects.filter(pk=action.pk, version=version).update(
        due_on=due_on, version=F("version") + 1
    ):
        raise StaleSurveyData
    previous, action.due_on, action.version = action.due_on, due_on, version + 1
    _audit(actor, action, "due", request, due_on=due_on.isoformat(), was=previous.isoformat())
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
    "improvement_action_set_due",
    "improvement_actions_create",
    "may_review_action",
]
