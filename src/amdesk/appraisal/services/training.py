"""Training 培训: sessions (topic, date, hours, trainer, for which node) and who attended; credits
are the session's credits for each person who attended (seed 003; DOMAIN.md §1)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.models import OrgNode

from ..models import TrainingAttendance, TrainingSession
from ..selectors.training import attendance_fingerprint, eligible_attendees, may_train, session_fingerprint
from .stale import check_fresh

FIELDS = ("topic", "held_on", "hours", "trainer", "org_node", "credits", "note")


def _ensure_may_train(actor, node: OrgNode) -> None:
    if not may_train(actor, node):
        raise PermissionDenied(_("You may record training only for the teams you lead."))


@transaction.atomic
def training_session_save(
    *,
    actor,
    session: TrainingSession | None = None,
    topic: str,
    held_on: date,
    hours: Decimal,
    trainer: str,
    org_node: OrgNode,
    credits: Decimal,
    note: str = "",
    expected: str | None = None,
    request=None,
) -> TrainingSession:
    """Create or change a session: the appraisal admin for any node, a supervisor or head for the
    nodes he leads. Changing the credits changes what each attendee earned."""
    _ensure_may_train(actor, org_node)
    creating = session is None
    if creating:
        session = TrainingSession(created_by=actor)
    else:
        session = TrainingSession.objects.select_for_update().select_related("org_node").get(pk=session.pk)
        _ensure_may_train(actor, session.org_node)
        check_fresh(expected, session_fingerprint(session))
    before = None if creating else {f: str(getattr(session, f)) for f in FIELDS}
    session.topic, session.held_on, session.hours = (topic or "").strip(), held_on, hours
    session.trainer, session.org_node, session.credits = (trainer or "").strip(), org_node, credits
    session.note = note or ""
    session.full_clean()
    session.save()
    if not creating:
        TrainingAttendance.objects.filter(session=session, attended=True).update(credits=session.credits)
    audit_record(
        event=AuditEvent.TRAINING_RECORDED,
        actor=actor,
        request=request,
        target=session,
        detail={"action": "create" if creating else "change", "before": before},
    )
    return session


@transaction.atomic
def attendance_record(
    *, actor, session: TrainingSession, attended_ids, expected: str | None = None, request=None
) -> list[TrainingAttendance]:
    """Who of the people under the session's node attended: those ticked earn the session's credits,
    those unticked (if recorded before) none."""
    session = TrainingSession.objects.select_for_update().select_related("org_node").get(pk=session.pk)
    _ensure_may_train(actor, session.org_node)
    check_fresh(expected, attendance_fingerprint(session))
    wanted = {int(pk) for pk in attended_ids}
    eligible = set(eligible_attendees(actor=actor, session=session).values_list("pk", flat=True))
    strangers = wanted - eligible
    if strangers:
        raise ValidationError(_("Only the people of the node the session is for can be marked as attending."))
    existing = {row.staff_id: row for row in TrainingAttendance.objects.filter(session=session)}
    changed, created = [], []
    # Only the people on the checklist: one who has since moved away or left keeps what he attended.
    for staff_id in eligible:
        attended = staff_id in wanted
        row = existing.get(staff_id)
        if row is None:
            if attended:
                created.append(
                    TrainingAttendance(
                        session=session, staff_id=staff_id, attended=True, credits=session.credits
                    )
                )
            continue
        credits = session.credits if attended else Decimal(0)
        if row.attended != attended or row.credits != credits:
            row.attended, row.credits = attended, credits
            changed.append(row)
    TrainingAttendance.objects.bulk_create(created)
    TrainingAttendance.objects.bulk_update(changed, ["attended", "credits"])
    audit_record(
        event=AuditEvent.TRAINING_RECORDED,
        actor=actor,
        request=request,
        target=session,
        detail={"action": "attendance", "attended": sorted(wanted)},
    )
    return list(TrainingAttendance.objects.filter(session=session, attended=True))
