"""The monthly client sales analysis report (models.sales_report): its due moment from the
working-day calendar and the one save service the page and the API call. The steps after saving
(submit, review, return) go through documents.document_transition like every periodic document.

Due: seed 000 4.4.2 "每月5日前（节假日顺延）" — by the log due time on the settings' day (5 by default)
of the month after the one reported on, or on the next working day when that day is not one. A year
without official holiday data gives a provisional due date (core.calendar)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core import calendar
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import MonthlySalesReport, PerformanceItem, PlanningSettings
from .common import StaleDocument, month_start

MAX_TEXT = 4_000
MAX_REASON = 200
MAX_FORECAST = Decimal("999999999999.99")
TEXT_FIELDS = ("problems", "opinions", "outlook")


def next_month(month: date) -> date:
    month = month_start(month)
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def sales_report_due_day(month: date, settings: PlanningSettings | None = None) -> date:
    """The day the report on `month` is due: the settings' day of the next month, postponed to the
    next working day (节假日顺延)."""
    settings = settings or PlanningSettings.current()
    return calendar.next_working_day(next_month(month).replace(day=settings.sales_report_due_day))


def sales_report_due_at(month: date, settings: PlanningSettings | None = None) -> datetime:
    settings = settings or PlanningSettings.current()
    day = sales_report_due_day(month, settings)
    return timezone.make_aware(datetime.combine(day, settings.log_due_time))


@dataclass(frozen=True)
class DueDate:
    period: date  # the month reported on (its first day)
    due: date
    provisional: bool


def sales_report_due_dates(year: int, settings: PlanningSettings | None = None) -> list[DueDate]:
    """The twelve reports of `year` with their due day; December's falls due in January of the next
    year. `provisional` when the due day rests on a year without official holiday data."""
    settings = settings or PlanningSettings.current()
    dates = []
    for number in range(1, 13):
        period = date(year, number, 1)
        due = sales_report_due_day(period, settings)
        # provisional when the nominal due day or the day it moved to is in a year without data
        nominal = next_month(period).replace(day=settings.sales_report_due_day)
        dates.append(DueDate(period, due, calendar.is_provisional(nominal) or calendar.is_provisional(due)))
    return dates


def report_month(today: date) -> date:
    """The month an account manager reports on today: last month."""
    first = month_start(today)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def _clean_forecast(raw, item_ids: set[int]) -> tuple[dict, dict]:
    """{item id: {"value", "reason"}} → the adjustments kept (value given) and the errors, by field
    name `forecast-<id>` / `reason-<id>`. A value without a reason is refused."""
    values, errors = {}, {}
    if raw in (None, ""):
        return values, errors
    if not isinstance(raw, dict):
        return values, {"forecast": [_("Send the forecast as an object by indicator.")]}
    for key, entry in raw.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            errors["forecast"] = [_("Unknown indicator %(item)s.") % {"item": key}]
            continue
        if item_id not in item_ids:
            errors["forecast"] = [_("Unknown indicator %(item)s.") % {"item": key}]
            continue
        entry = entry if isinstance(entry, dict) else {"value": entry}
        text = str(entry.get("value") if entry.get("value") is not None else "").strip().replace(",", "")
        reason = str(entry.get("reason") or "").strip()
        if not text:
            continue  # no adjustment: the system's forecast stands
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors[f"forecast-{item_id}"] = [_("Enter a number.")]
            continue
        if not value.is_finite() or value < 0 or value > MAX_FORECAST:
            errors[f"forecast-{item_id}"] = [_("Enter a number from 0 up.")]
            continue
        if not reason:
            errors[f"reason-{item_id}"] = [_("Say briefly why you adjust the forecast.")]
            continue
        if len(reason) > MAX_REASON:
            errors[f"reason-{item_id}"] = [_("Keep it under %(max)d characters.") % {"max": MAX_REASON}]
            continue
        values[str(item_id)] = {"value": str(value.quantize(Decimal("0.01"))), "reason": reason}
    return values, errors


def _clean(data: dict) -> dict:
    values, errors = {}, {}
    for name in TEXT_FIELDS:
        if name in data:
            value = (data[name] or "").strip()
            if len(value) > MAX_TEXT:
                errors[name] = [_("Keep it under %(max)d characters.") % {"max": MAX_TEXT}]
            else:
                values[name] = value
    if "forecast" in data:
        item_ids = set(PerformanceItem.objects.values_list("pk", flat=True))
        forecast, forecast_errors = _clean_forecast(data["forecast"], item_ids)
        errors.update(forecast_errors)
        values["forecast"] = forecast
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def sales_report_save(
    *,
    actor,
    month: date,
    data: dict,
    expected_version: int | None = None,
    request=None,
    today: date | None = None,
) -> tuple[MonthlySalesReport, bool]:
    """Write the actor's own report on `month` (created on the first save). `data`: problems,
    opinions, outlook (text) and forecast ({item id: {"value", "reason"}}; replaces the adjustments).
    `expected_version`: the version read (0 or None for a new one; None does not check an existing
    one). Returns (report, created or changed)."""
    today = today or timezone.localdate()
    month = month_start(month)
    if month >= month_start(today):
        raise ValidationError({"month": [_("A month is reported on once it is over.")]})
    values = _clean(data)
    report = MonthlySalesReport.objects.filter(owner=actor, month=month).first()
    if report is None:
        if expected_version:
            raise StaleDocument()
        if actor.org_node_id is None:
            raise ValidationError(_("An account manager needs an org node before he writes reports."))
        report = MonthlySalesReport(
            owner=actor,
            org_node_id=actor.org_node_id,
            month=month,
            due_at=sales_report_due_at(month),
            **values,
        )
        report.full_clean(exclude=["owner", "org_node", "reviewer"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise StaleDocument() from None
        report.events.create(actor=actor, at=report.created_at, action="create", to_state=report.state)
        audit_record(
            event=AuditEvent.SALES_REPORT_SAVED,
            actor=actor,
            request=request,
            target=report,
            detail={"month": month.strftime("%Y-%m"), "created": True},
        )
        return report, True
    if report.owner_id != actor.pk:  # pragma: no cover - filtered on the owner above
        raise PermissionDenied(_("Only the account manager writes his own report."))
    if not report.is_editable:
        raise ValidationError(_("This document is submitted; it can no longer be changed."))
    version = report.version if expected_version is None else expected_version
    if report.version != version:
        raise StaleDocument()
    changed = {name: value for name, value in values.items() if getattr(report, name) != value}
    if not changed:
        return report, False
    now = timezone.now()
    updated = MonthlySalesReport.objects.filter(pk=report.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **changed
    )
    if not updated:
        raise StaleDocument()
    report.refresh_from_db()
    report.events.create(actor=actor, at=now, action="update", from_state=report.state, to_state=report.state)
    audit_record(
        event=AuditEvent.SALES_REPORT_SAVED,
        actor=actor,
        request=request,
        target=report,
        detail={"month": month.strftime("%Y-%m"), "fields": sorted(changed)},
    )
    return report, True


__all__ = [
    "DueDate",
    "next_month",
    "report_month",
    "sales_report_due_at",
    "sales_report_due_dates",
    "sales_report_due_day",
    "sales_report_save",
]
