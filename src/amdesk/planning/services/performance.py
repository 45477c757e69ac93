"""The daily performance registration 每日业绩登记表: the account manager fills in a month sheet;
one save writes the cells that changed, and only on the version of the sheet he read."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.i18n import labelled

from ..models import PerformanceEntry, PerformanceItem, PerformanceSheet
from .common import StaleSheet, month_start

MAX_VALUE = Decimal("999999999999.99")
CENT = Decimal("0.01")


def month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def parse_value(raw) -> Decimal | None:
    """A cell as typed: empty → None (clears the cell); a number ≥ 0 with at most two decimals."""
    if raw is None:
        return None
    text = str(raw).strip().replace(",", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise ValueError(_("Enter a number of at least 0."))
    if value != value.quantize(CENT):
        raise ValueError(_("Enter at most two decimals."))
    return value.quantize(CENT)


@transaction.atomic
def performance_sheet_save(
    *,
    actor,
    month: date,
    cells: dict[tuple[str, date], object],
    expected_version: int,
    request=None,
    today: date | None = None,
) -> tuple[PerformanceSheet, int]:
    """Write the actor's figures of `month`: `cells` maps (item code, day) to the value typed (None or
    "" clears it). Cells equal to what is stored are not written. `expected_version` is the sheet's
    version the caller read (0 when there was no sheet yet); another save in between raises
    StaleSheet and nothing is written. Returns the sheet and the number of cells changed."""
    today = today or timezone.localdate()
    month = month_start(month)
    last = month_end(month)
    if actor.org_node_id is None:
        raise PermissionDenied(_("An account manager needs an org node before he registers performance."))
    # Computed indicators (a source) are not registered by hand: their codes are unknown here.
    items = {item.code: item for item in PerformanceItem.objects.filter(source="")}
    wanted: dict[tuple[int, date], Decimal | None] = {}
    errors: list[str] = []
    for (code, day), raw in cells.items():
        item = items.get(code)
        if item is None:
            errors.append(_("Unknown performance item “%(code)s”.") % {"code": code})
            continue
        if not month <= day <= last:
            errors.append(_("%(day)s is not in this month.") % {"day": day.isoformat()})
            continue
        try:
            value = parse_value(raw)
        except ValueError as exc:
            errors.append(labelled(f"{item} {day:%m-%d}", exc))
            continue
        if value is not None and day > today:
            errors.append(_("%(day)s has not come yet.") % {"day": day.isoformat()})
            continue
        if value is not None and not item.is_active:
            errors.append(_("“%(item)s” is no longer registered.") % {"item": item})
            continue
        wanted[(item.pk, day)] = value
    if errors:
        raise ValidationError({"cells": errors})

    sheet = PerformanceSheet.objects.filter(owner=actor, month=month).first()
    if sheet is None:
        if expected_version != 0:
            raise StaleSheet()
        try:
            with transaction.atomic():
                sheet = PerformanceSheet.objects.create(
                    owner=actor, org_node_id=actor.org_node_id, month=month, version=0, updated_by=actor
                )
        except IntegrityError:  # someone (the same AM in another tab) created it meanwhile
            raise StaleSheet() from None
    elif sheet.version != expected_version:
        raise StaleSheet()

    stored = {
        (row["item_id"], row["day"]): row
        for row in PerformanceEntry.objects.filter(sheet=sheet, day__range=(month, last)).values(
            "pk", "item_id", "day", "value"
        )
    }
    new, changed, removed = [], [], []
    for (item_id, day), value in wanted.items():
        row = stored.get((item_id, day))
        if value is None:
            if row is not None:
                removed.append(row["pk"])
        elif row is None:
            new.append(PerformanceEntry(sheet=sheet, item_id=item_id, day=day, value=value))
        elif row["value"] != value:
            changed.append(PerformanceEntry(pk=row["pk"], value=value))
    count = len(new) + len(changed) + len(removed)
    if not count and sheet.version > 0:
        return sheet, 0
    # The lock: the save counts only if nobody saved since the version read.
    updated = PerformanceSheet.objects.filter(pk=sheet.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=actor
    )
    if not updated:
        raise StaleSheet()
    PerformanceEntry.objects.bulk_create(new)
    PerformanceEntry.objects.bulk_update(changed, ["value"])
    PerformanceEntry.objects.filter(pk__in=removed).delete()
    sheet.refresh_from_db()
    audit_record(
        event=AuditEvent.PERFORMANCE_SAVED,
        actor=actor,
        request=request,
        target=sheet,
        detail={"added": len(new), "changed": len(changed), "cleared": len(removed)},
    )
    return sheet, count
