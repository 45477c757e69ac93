"""Post-loan inspections 贷后检查: scheduled for every loan in the inspected product lines, or ad hoc."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client, Holding
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import may_act_on_client

from ..models import ChecklistItem, LoanInspection, Visit, VisitSettings

REPORT_FIELDS = ["use_of_funds", "repayment_source", "risk_signals", "risk_level", "conclusion"]


@transaction.atomic
def inspections_schedule(*, today: date | None = None, loan_ids: list[int] | None = None) -> int:
    """Give every open loan (or the given ones) without an open scheduled inspection its next one:
    the first some days after the loan was granted, then one interval after the last inspection.
    Returns how many. Scheduled inspections of loans since repaid (loan gone) are dropped; the
    reports already made stay."""
    today = today or timezone.localdate()
    settings = VisitSettings.current()
    if loan_ids is None:
        LoanInspection.objects.filter(
            kind=LoanInspection.Kind.SCHEDULED, loan__isnull=True, done_on__isnull=True
        ).delete()
    if not settings.inspected_product_lines:
        return 0
    last_done = (
        LoanInspection.objects.filter(loan=OuterRef("pk"), done_on__isnull=False)
        .order_by()
        .values("loan")
        .annotate(last=Max("done_on"))
        .values("last")
    )
    loans = (
        Holding.objects.filter(product__line__code__in=settings.inspected_product_lines, balance__gt=0)
        .exclude(client__lifecycle=Client.Lifecycle.LOST)
        .exclude(
            pk__in=LoanInspection.objects.filter(
                done_on__isnull=True, kind=LoanInspection.Kind.SCHEDULED, loan__isnull=False
            ).values("loan")
        )
        .annotate(last_done=Subquery(last_done))
        .values("pk", "client_id", "client__owner_id", "client__org_node_id", "opened_on", "last_done")
    )
    if loan_ids is not None:
        loans = loans.filter(pk__in=loan_ids)
    created = []
    for loan in loans.iterator(chunk_size=2000):
        if loan["last_done"]:
            due = loan["last_done"] + timedelta(days=settings.inspection_interval_days)
        else:
            due = (loan["opened_on"] or today) + timedelta(days=settings.first_inspection_days)
        created.append(
            LoanInspection(
                client_id=loan["client_id"],
                loan_id=loan["pk"],
                owner_id=loan["client__owner_id"],
                org_node_id=loan["client__org_node_id"],
                due_on=due,
            )
        )
    LoanInspection.objects.bulk_create(created, batch_size=1000)
    return len(created)


@transaction.atomic
def inspection_add(
    *, actor, client: Client, due_on: date, reason: str, loan: Holding | None = None, request=None
):
    """An ad-hoc inspection (a risk signal heard of, a large repayment missed…)."""
    if not may_act_on_client(actor, client.pk, permission="visits.add_loaninspection"):
        raise PermissionDenied(_("This client is not in your scope."))
    if loan is not None and loan.client_id != client.pk:
        raise ValidationError({"loan": [_("This loan belongs to another client.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this inspection is needed.")]})
    return LoanInspection.objects.create(
        client=client,
        loan=loan,
        owner_id=client.owner_id,
        org_node_id=client.org_node_id,
        kind=LoanInspection.Kind.AD_HOC,
        due_on=due_on,
        reason=reason.strip()[:200],
    )


@transaction.atomic
def inspection_record(
    *, actor, inspection: LoanInspection, data: dict, visit: Visit | None = None, request=None
) -> LoanInspection:
    """The inspection's report: use of funds, repayment source, risk signals and level, conclusion."""
    # Open inspections follow the client: whoever owns the client now records it.
    if inspection.client.owner_id != actor.pk:
        raise PermissionDenied(_("The client's account manager records the inspection."))
    if inspection.is_done:
        raise ValidationError(_("This inspection is already recorded."))
    if visit is not None and visit.client_id != inspection.client_id:
        raise ValidationError({"visit": [_("This visit was to another client.")]})
    for name in REPORT_FIELDS:
        if name in data:
            setattr(inspection, name, data[name])
    errors = {}
    known = set(
        ChecklistItem.objects.filter(purpose=ChecklistItem.Purpose.RISK_SIGNAL).values_list("code", flat=True)
    )
    if any(code not in known for code in inspection.risk_signals):
        errors["risk_signals"] = [_("Unknown risk signal.")]
    for name in ("use_of_funds", "repayment_source"):
        if not getattr(inspection, name).strip():
            errors[name] = [_("This part of the report is required.")]
    if not inspection.risk_level:
        errors["risk_level"] = [_("Choose the risk level.")]
    done_on = data.get("done_on") or (visit.visited_on if visit else timezone.localdate())
    # The next inspection is due one interval after this date, so it cannot lie ahead.
    if done_on > timezone.localdate():
        errors["done_on"] = [_("An inspection is recorded once it has taken place.")]
    if errors:
        raise ValidationError(errors)
    inspection.done_on = done_on
    inspection.owner, inspection.org_node_id = actor, inspection.client.org_node_id
    inspection.visit = visit
    inspection.full_clean()
    inspection.save()
    audit_record(
        event=AuditEvent.INSPECTION_RECORDED,
        actor=actor,
        request=request,
        target=inspection,
        detail={"client": inspection.client_id, "risk_level": inspection.risk_level},
    )
    if inspection.loan_id is not None:
        inspections_schedule(loan_ids=[inspection.loan_id])
    return inspection
