"""Periodic documents (workflow.py): their due moment from the working-day calendar, and the one
transition service every document type goes through."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core import calendar
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import may_hand_over, records_q

from ..models import (
    MonthlyPlan,
    MonthlySummary,
    PeriodicDocument,
    TargetSheet,
    WeeklyArrangement,
    WeeklySummary,
    WorkLog,
)
from ..workflow import OWNER, REVIEWER, TRANSITIONS, DocState, Transition
from .common import StaleDocument

# What each document type's transitions record in the audit log.
AUDIT_EVENTS: dict[type, dict[str, str]] = {
    WorkLog: {
        "submit": AuditEvent.WORK_LOG_SUBMITTED,
        "review": AuditEvent.WORK_LOG_REVIEWED,
        "return": AuditEvent.WORK_LOG_RETURNED,
    },
    TargetSheet: {
        "submit": AuditEvent.TARGETS_SUBMITTED,
        "review": AuditEvent.TARGETS_APPROVED,
        "return": AuditEvent.TARGETS_RETURNED,
    },
    **{
        model: {
            "submit": AuditEvent.PLAN_DOCUMENT_SUBMITTED,
            "review": AuditEvent.PLAN_DOCUMENT_REVIEWED,
            "return": AuditEvent.PLAN_DOCUMENT_RETURNED,
        }
        for model in (WeeklyArrangement, WeeklySummary, MonthlyPlan, MonthlySummary)
    },
}


def due_at(day: date, at) -> datetime:
    """`at` o'clock on `day` if it is a working day, else on the next working day (节假日顺延)."""
    return timezone.make_aware(datetime.combine(calendar.next_working_day(day), at))


def may_review(actor, document: PeriodicDocument, *, in_scope: bool = False) -> bool:
    """Someone overseeing others, other than the owner, whose scope covers the document.
    `in_scope=True`: the caller read the document through the viewer's scoped selector already."""
    if actor is None or document.owner_id == actor.pk or not may_hand_over(actor):
        return False
    return in_scope or type(document).objects.filter(records_q(actor), pk=document.pk).exists()


def _capacity(actor, document: PeriodicDocument, *, in_scope: bool = False) -> set[str]:
    found = set()
    if document.owner_id == actor.pk:
        found.add(OWNER)
    if may_review(actor, document, in_scope=in_scope):
        found.add(REVIEWER)
    return found


def available_transitions(actor, document: PeriodicDocument, *, in_scope: bool = False) -> list[Transition]:
    """The steps this actor may take on the document now, in workflow order (for buttons and the API);
    `in_scope` as for may_review (lists pass it: no query per row)."""
    caps = _capacity(actor, document, in_scope=in_scope)
    return [t for t in TRANSITIONS.values() if document.state in t.sources and t.actor in caps]


@transaction.atomic
def document_transition(
    *,
    actor,
    document: PeriodicDocument,
    action: str,
    version: int | None = None,
    comment: str = "",
    request=None,
    at=None,
) -> PeriodicDocument:
    """Take one workflow step. Raises ValidationError (unknown step, wrong state, missing comment),
    PermissionDenied (not this actor's step), StaleDocument (`version` is not the current one).
    Records the step as an event and in the audit log. `at` (default now) is for the demo builder's
    history only."""
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise ValidationError({"action": [_("Unknown action.")]})
    if spec.actor not in _capacity(actor, document):
        if spec.actor == OWNER:
            raise PermissionDenied(_("Only the account manager submits his own document."))
        raise PermissionDenied(_("Only the account manager's supervisor reviews his document."))
    expected = document.version if version is None else version
    if document.version != expected:
        raise StaleDocument()
    if document.state not in spec.sources:
        raise ValidationError(
            {
                "action": [
                    _("This step is not possible while the document is “%(state)s”.")
                    % {"state": document.get_state_display()}
                ]
            }
        )
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise ValidationError({"comment": [_("Say what should change before returning it.")]})
    now = at or timezone.now()
    model = type(document)
    from_state = document.state
    values = {"state": spec.target, "updated_at": now}
    if spec.code == "submit" and document.submitted_at is None:
        values["submitted_at"] = now
    if spec.actor == REVIEWER:
        values.update(reviewer=actor, reviewed_at=now, comment=comment)
    if any(field.name == "figures" for field in model._meta.concrete_fields):
        # A summary's computed figures are frozen as submitted, and live again once returned.
        if spec.code == "submit":
            from ..selectors.plans import summary_figures

            values["figures"] = summary_figures(document, today=timezone.localdate(now))
        elif spec.code == "return":
            values["figures"] = None
    # Filtered on version and state: two supervisors deciding at once cannot both win.
    updated = model.objects.filter(pk=document.pk, version=expected, state=from_state).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleDocument()
    document.refresh_from_db()
    document.events.create(
        actor=actor, at=now, action=spec.code, from_state=from_state, to_state=spec.target, comment=comment
    )
    audit_record(
        event=AUDIT_EVENTS[model][spec.code],
        actor=actor,
        request=request,
        target=document,
        detail={"from": from_state, "to": spec.target, **({"comment": comment} if comment else {})},
    )
    return document


__all__ = [
    "AUDIT_EVENTS",
    "DocState",
    "available_transitions",
    "document_transition",
    "due_at",
    "may_review",
]
