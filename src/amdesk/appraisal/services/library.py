"""Writes of the indicator library: indicators (created and edited by the appraisal admin, without
code) and the values of manual indicators per person and period.

Neither table has a version column: an indicator edit compares a fingerprint of the values the form
was loaded with, a manual value the value it showed. Whoever saved in between wins; the later save is
refused (StaleLibraryEdit), never silently overwritten."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import Indicator, ManualValue
from .access import require_appraisal_admin

EDITABLE = (
    "code", "name", "name_en", "dimension_id", "unit", "unit_en", "higher_is_better", "source", "params",
    "description", "optional", "order", "is_active",
)  # fmt: skip
UNSET = object()


class StaleLibraryEdit(Exception):
    """Someone saved the indicator or the value after the caller read it."""


def indicator_fingerprint(indicator: Indicator) -> str:
    values = {name: getattr(indicator, name) for name in EDITABLE}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


@transaction.atomic
def indicator_save(
    *, actor, indicator: Indicator | None = None, data: dict, fingerprint: str | None = None, request=None
) -> Indicator:
    """Create (indicator None) or change an indicator with the fields in `data` (names of EDITABLE,
    `dimension` for the dimension). The source and its parameters are checked against the registry."""
    require_appraisal_admin(actor)
    creating = indicator is None
    if creating:
        indicator = Indicator()
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if fingerprint is not None and fingerprint != indicator_fingerprint(indicator):
            raise StaleLibraryEdit(
                _("Someone changed this indicator after you opened it. Reload it and make your change again.")
            )
    before = {name: getattr(indicator, name) for name in EDITABLE}
    for name, value in data.items():
        if name == "dimension":
            indicator.dimension = value
        elif name in EDITABLE or name == "dimension_id":
            setattr(indicator, name, value)
        else:
            raise ValueError(name)
    if indicator.params is None:
        indicator.params = {}
    if not creating and indicator.code != before["code"]:
        raise ValidationError({"code": _("The code of an indicator cannot change: schemes refer to it.")})
    indicator.full_clean()
    changed = sorted(
        name.removesuffix("_id") for name in EDITABLE if getattr(indicator, name) != before[name]
    )
    if not creating and not changed:
        return indicator
    indicator.save()
    audit_record(
        event=AuditEvent.INDICATOR_CHANGED,
        actor=actor,
        request=request,
        target=indicator,
        detail={"created": creating, "fields": changed},
    )
    return indicator


@dataclass(frozen=True)
class ManualEntry:
    staff_id: int
    value: Decimal | None  # None clears the person's value
    expected: object = UNSET  # the value the form showed (None: there was none); UNSET: not checked


@transaction.atomic
def manual_value_set(
    *,
    actor,
    indicator: Indicator,
    start: date,
    end: date,
    entries: list[ManualEntry],
    allowed_ids,
    request=None,
) -> int:
    """Record the values of a manual indicator for a period: all or nothing. `allowed_ids` are the staff
    the actor may enter values for (selectors.library.manual_people). Returns how many changed."""
    require_appraisal_admin(actor)
    if not indicator.is_manual:
        raise ValidationError({"indicator": _("Values are entered only for manual indicators.")})
    if end < start:
        raise ValidationError({"start": _("The period ends before it starts.")})
    allowed = set(allowed_ids)
    if any(entry.staff_id not in allowed for entry in entries):
        raise PermissionDenied(_("You may not enter values for this person."))
    stored = {
        row.staff_id: row
        for row in ManualValue.objects.select_for_update().filter(
            indicator=indicator,
            period_start=start,
            period_end=end,
            staff_id__in=[e.staff_id for e in entries],
        )
    }
    stale = [
        entry.staff_id
        for entry in entries
        if entry.expected is not UNSET
        and (stored[entry.staff_id].value if entry.staff_id in stored else None) != entry.expected
    ]
    if stale:
        error = StaleLibraryEdit(
            _("Someone changed %(count)d of these values after you opened the page: nothing was saved.")
            % {"count": len(stale)}
        )
        error.staff_ids = stale
        raise error
    now, changed = timezone.now(), 0
    for entry in entries:
        row = stored.get(entry.staff_id)
        if entry.value is None:
            if row is not None:
                _audit(actor, request, row, row.value, None)
                row.delete()
                changed += 1
            continue
        if row is not None and row.value == entry.value:
            continue
        row = row or ManualValue(
            indicator=indicator, staff_id=entry.staff_id, period_start=start, period_end=end
        )
        old = row.value if row.pk else None
        row.value, row.entered_by, row.entered_at = entry.value, actor, now
        row.full_clean()
        row.save()
        _audit(actor, request, row, old, row.value)
        changed += 1
    return changed


def _audit(actor, request, row: ManualValue, old, new) -> None:
    audit_record(
        event=AuditEvent.MANUAL_VALUE_ENTERED,
        actor=actor,
        request=request,
        target=row,
        detail={
            "indicator": row.indicator.code,
            "staff": row.staff_id,
            "period": f"{row.period_start}..{row.period_end}",
            "from": None if old is None else str(old),
            "to": None if new is None else str(new),
        },
    )
