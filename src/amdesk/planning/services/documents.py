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
from amdesk.orgs.access import may_hand_over, records_q, scope_of

from ..models import (
    MonthlyPlan,
    MonthlySalesReport,
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
    MonthlySalesReport: {
        "submit": AuditEvent.SALES_REPORT_SUBMITTED,
        "review": AuditEvent.SALES_REPORT_REVIEWED,
        "return": AuditEvent.SALES_REPORT_RETURNED,
    },
}


def due_at(day: date, at) -> datetime:
    """`at` o'clock on `day` if it is a working day, else on the next working day (节假日顺延)."""
    return timezone.make_aware(datetime.combine(calendar.next_working_day(day), at))


def due_provisional(moment: datetime) -> bool:
    """Whether a due moment rests on a year without official holiday data (core.calendar): shown
    "(provisional)" next to it."""
    return calendar.is_provisional(timezone.localdate(moment))


def current_due_at(document: PeriodicDocument, settings=None) -> datetime:
    """The document's due moment as the calendar and the settings say now. Shown and judged for a
    document not yet handed in; written into `due_at` on its first submission (ADR 0013)."""
    from ..models import PlanningSettings
    from .plans import KINDS
    from .targets import targets_due_at

    settings = settings or PlanningSettings.current()
    if isinstance(document, WorkLog):
        return due_at(document.day, settings.log_due_time)
    if isinstance(document, TargetSheet):
        return targets_due_at(document.month, settings)
    if isinstance(document, MonthlySalesReport):
        from .sales_reports import sales_report_due_at

        return sales_report_due_at(document.month, settings)
    spec = next(kind for kind in KINDS.values() if isinstance(document, kind.model))
    return spec.due_at(getattr(document, spec.period_field), settings)


def shown_due_at(document: PeriodicDocument, settings=None) -> datetime:
    """The stored due moment once the document was first handed in, else the current one."""
    if document.submitted_at is not None:
        return document.due_at
    return current_due_at(document, settings)


def may_review(actor, document: PeriodicDocument, *, in_scope: bool = False) -> bool:
    """Someone overseeing others, other than the owner, whose scope covers the document.
    `in_scope=True`: the caller read the document through the viewer's scoped selector already."""
    if actor is None or document.owner_id == actor.pk or not may_hand_over(actor):
        return False
    # Read through the viewer's selector is enough when he writes what he reads (supervisors, heads).
    scope = scope_of(actor)
    if in_scope and scope.kind == scope.write_kind:
        return True
    return type(document).objects.filter(records_q(actor, for_write=True), pk=document.pk).exists()


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


def _check_submittable(document: PeriodicDocument, today: date) -> None:
    """A weekly or monthly summary is handed in from the last working day of its period on."""
    from .plans import summary_submittable_from

    if isinstance(document, WeeklySummary):
        first = summary_submittable_from(week_start=document.week_start)
    elif isinstance(document, MonthlySummary):
        first = summary_submittable_from(month=document.month)
    elif isinstance(document, MonthlySalesReport):
        from .sales_reports import next_month

        if today < next_month(document.month):
            raise ValidationError({"action": [_("A month is reported on once it is over.")]})
        return
    else:
        return
    if today < first:
        raise ValidationError(
            {
                "action": [
                    _("A summary is handed in from the last working day of its period on (%(day)s).")
                    % {"day": first.isoformat()}
                ]
            }
        )


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
    if spec.code == "submit":
        _check_submittable(document, timezone.localdate(now))
    if spec.code == "submit" and document.submitted_at is None:
        # the due moment as the calendar says now (it may have changed since the document was
        # created); "on time" is judged against it from here on
        values["submitted_at"] = now
        values["due_at"] = current_due_at(document)
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
    "current_due_at",
    "document_transition",
    "due_at",
    "due_provisional",
    "may_review",
    "shown_due_at",
]
