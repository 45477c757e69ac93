"""The supervisor's queue of things seen on visits: he records what was done about each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import may_hand_over, records_q, scoped

from ..models import FindingOutcome, VisitFinding


def may_close_findings(actor) -> bool:
    """Those who oversee account managers (the same people who may hand clients over)."""
    return may_hand_over(actor)


@transaction.atomic
def finding_close(
    *, actor, finding: VisitFinding, outcome: str, note: str = "", request=None
) -> VisitFinding:
    """Close a finding with one of the industry's active outcomes (its code); nothing is assumed
    when the supervisor chose none."""
    if not may_close_findings(actor):
        raise PermissionDenied(_("Only a supervisor records the outcome of a finding."))
    # A supervisor acts on the findings of the account managers under him, not on another team's.
    if not scoped(VisitFinding.objects.filter(pk=finding.pk), records_q(actor, for_write=True)).exists():
        raise PermissionDenied(_("This finding is not in your scope."))
    chosen = FindingOutcome.objects.filter(code=outcome or "", is_active=True).first()
    if chosen is None:
        raise ValidationError({"outcome": [_("Choose what was done.")]})
    if chosen.needs_note and not note.strip():
        raise ValidationError(
            {"note": [_("Say more about what was done: %(outcome)s.") % {"outcome": chosen}]}
        )
    updated = VisitFinding.objects.filter(pk=finding.pk, closed_at__isnull=True).update(
        outcome=chosen, outcome_note=note.strip()[:200], closed_by=actor, closed_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"outcome": [_("This finding was already closed.")]})
    finding.refresh_from_db()
    audit_record(
        event=AuditEvent.VISIT_FINDING_CLOSED,
        actor=actor,
        request=request,
        target=finding,
        detail={"kind": finding.kind, "outcome": outcome, "client": finding.client_id},
    )
    return finding
