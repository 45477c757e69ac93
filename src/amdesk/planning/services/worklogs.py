"""The daily work log 工作日志: written and changed by its account manager until he submits it; the
steps after that go through documents.document_transition."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import PerformanceItem, PlanningSettings, WorkLog, WorkLogOpening
from .common import StaleDocument
from .documents import due_at

COUNT_FIELDS = ("prospects_visited", "counter_consultations", "phone_consultations")
TEXT_FIELDS = ("cooperation", "problems", "other")
FIELDS = COUNT_FIELDS + TEXT_FIELDS
MAX_COUNT = 10_000  # a day's figure beyond this is a typing error
MAX_TEXT = 4_000


def _clean(data: dict) -> dict:
    """The log's own fields from `data` (unknown keys ignored), checked."""
    values, errors = {}, {}
    for name in COUNT_FIELDS:
        if name not in data:
            continue
        raw = data[name]
        try:
            value = 0 if raw in (None, "") else int(raw)
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number.")]
            continue
        if not 0 <= value <= MAX_COUNT:
            errors[name] = [_("Enter a number from 0 to %(max)d.") % {"max": MAX_COUNT}]
            continue
        values[name] = value
    for name in TEXT_FIELDS:
        if name in data:
            value = (data[name] or "").strip()
            if len(value) > MAX_TEXT:
                errors[name] = [_("Keep it under %(max)d characters.") % {"max": MAX_TEXT}]
                continue
            values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _clean_openings(openings: dict | None) -> dict[int, int] | None:
    """{product code: count} → {item id: count}. The products are the performance items registered
    daily (the industry's one catalogue); unknown, inactive and computed ones are refused."""
    if openings is None:
        return None
    lines = dict(PerformanceItem.objects.filter(is_active=True, source="").values_list("code", "pk"))
    cleaned, errors = {}, []
    for code, raw in openings.items():
        if code not in lines:
            errors.append(_("Unknown product “%(code)s”.") % {"code": code})
            continue
        try:
            count = 0 if raw in (None, "") else int(raw)
        except (TypeError, ValueError):
            errors.append(_("Enter whole numbers of new clients."))
            continue
        if not 0 <= count <= MAX_COUNT:
            errors.append(_("Enter a number from 0 to %(max)d.") % {"max": MAX_COUNT})
            continue
        cleaned[lines[code]] = count
    if errors:
        raise ValidationError({"openings": errors})
    return cleaned


def _save_openings(log: WorkLog, openings: dict[int, int]) -> dict:
    """Write the changed products only; returns {item id: (old, new)} of what changed."""
    current = dict(WorkLogOpening.objects.filter(log=log).values_list("item_id", "count"))
    changed = {}
    for item_id, count in openings.items():
        old = current.get(item_id, 0)
        if old == count:
            continue
        changed[str(item_id)] = [old, count]
        if count == 0:
            WorkLogOpening.objects.filter(log=log, item_id=item_id).delete()
        elif item_id in current:
            WorkLogOpening.objects.filter(log=log, item_id=item_id).update(count=count)
        else:
            WorkLogOpening.objects.create(log=log, item_id=item_id, count=count)
    return changed


@transaction.atomic
def work_log_create(
    *, actor, day: date, data: dict, openings: dict | None = None, request=None, today: date | None = None
) -> WorkLog:
    """The actor's log of `day` (not a day still to come); one per account manager and day."""
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError({"day": [_("A work log is written on the day or after it.")]})
    if actor.org_node_id is None:
        raise ValidationError(_("An account manager needs an org node before he writes work logs."))
    values = _clean(data)
    lines = _clean_openings(openings)
    settings = PlanningSettings.current()
    log = WorkLog(
        owner=actor, org_node_id=actor.org_node_id, day=day, due_at=due_at(day, settings.log_due_time)
    )
    for name, value in values.items():
        setattr(log, name, value)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ValidationError({"day": [_("You already have a work log for this day.")]}) from None
    if lines:
        _save_openings(log, lines)
    log.events.create(actor=actor, at=log.created_at, action="create", to_state=log.state)
    audit_record(
        event=AuditEvent.WORK_LOG_SAVED, actor=actor, request=request, target=log, detail={"created": True}
    )
    return log


@transaction.atomic
def work_log_update(
    *,
    actor,
    log: WorkLog,
    data: dict,
    openings: dict | None = None,
    expected_version: int | None = None,
    request=None,
) -> WorkLog:
    """Change the actor's own log while it is a draft or returned; saves only what changed."""
    if log.owner_id != actor.pk:
        raise PermissionDenied(_("Only the account manager writes his own work log."))
    if not log.is_editable:
        raise ValidationError(_("This work log is submitted; it can no longer be changed."))
    version = log.version if expected_version is None else expected_version
    if log.version != version:
        raise StaleDocument()
    values = {name: value for name, value in _clean(data).items() if getattr(log, name) != value}
    lines = _clean_openings(openings)
    changed_lines = _save_openings(log, lines) if lines else {}
    if not values and not changed_lines:
        return log
    now = timezone.now()
    updated = WorkLog.objects.filter(pk=log.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if not updated:
        raise StaleDocument()
    log.refresh_from_db()
    log.events.create(actor=actor, at=now, action="update", from_state=log.state, to_state=log.state)
    audit_record(
        event=AuditEvent.WORK_LOG_SAVED,
        actor=actor,
        request=request,
        target=log,
        detail={"fields": sorted(values), **({"openings": changed_lines} if changed_lines else {})},
    )
    return log


def work_log_save(
    *,
    actor,
    day: date,
    data: dict,
    openings: dict | None = None,
    expected_version: int | None = None,
    request=None,
) -> WorkLog:
    """The page's save: the actor's log of `day`, created when it does not exist yet."""
    log = WorkLog.objects.filter(owner=actor, day=day).first()
    if log is None:
        if expected_version:  # the page had a log that is no longer there
            raise StaleDocument()
        return work_log_create(actor=actor, day=day, data=data, openings=openings, request=request)
    return work_log_update(
        actor=actor, log=log, data=data, openings=openings, expected_version=expected_version, request=request
    )
