"""The weekly and monthly documents (models.periodic): their periods and due moments from the
working-day calendar, and the one save service the pages and the API call. The steps after saving
(submit, review, return) go through documents.document_transition like every periodic document.

Only the owner writes his document, while it is a draft or returned; a save writes the changed
fields only, on the version the caller read (`StaleDocument` otherwise)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.core import calendar
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import MonthlyPlan, MonthlySummary, PlanningSettings, WeeklyArrangement, WeeklySummary
from ..models.periodic import MAX_CLIENTS
from .common import StaleDocument, month_start
from .performance import month_end

MAX_TEXT = 4_000

ARRANGEMENT, WEEKLY_SUMMARY, MONTHLY_PLAN, MONTHLY_SUMMARY = (
    "arrangement",
    "weekly-summary",
    "monthly-plan",
    "monthly-summary",
)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_working_days(monday: date) -> list[date]:
    return [
        monday + timedelta(days=n) for n in range(7) if calendar.is_working_day(monday + timedelta(days=n))
    ]


def week_month(monday: date) -> date:
    """The month a week's summary reports on: that of the week's last working day (of its Monday when
    the week has none), so a week straddling two months belongs to the one it mostly closes."""
    days = week_working_days(monday)
    return month_start(days[-1] if days else monday)


def _at(day: date, settings: PlanningSettings) -> datetime:
    return timezone.make_aware(datetime.combine(day, settings.log_due_time))


def arrangement_due_at(monday: date, settings: PlanningSettings | None = None) -> datetime:
    """By the log due time on the week's first working day (plus the settings' offset); a week
    without working days: its arrangement is due on the next working day."""
    settings = settings or PlanningSettings.current()
    first = calendar.next_working_day(monday)
    return _at(calendar.add_working_days(first, settings.arrangement_due_offset), settings)


def weekly_summary_due_at(monday: date, settings: PlanningSettings | None = None) -> datetime:
    """By the log due time on the week's last working day (minus the settings' offset, never before
    the first); a week without working days: the next working day."""
    settings = settings or PlanningSettings.current()
    days = week_working_days(monday)
    if not days:
        return _at(calendar.next_working_day(monday), settings)
    return _at(days[max(len(days) - 1 - settings.weekly_summary_due_offset, 0)], settings)


def monthly_plan_due_at(month: date, settings: PlanningSettings | None = None) -> datetime:
    settings = settings or PlanningSettings.current()
    first = calendar.next_working_day(month_start(month))
    return _at(calendar.add_working_days(first, settings.monthly_plan_due_working_days - 1), settings)


def monthly_summary_due_at(month: date, settings: PlanningSettings | None = None) -> datetime:
    """On the settings' working day of the following month (the month has to be over first)."""
    settings = settings or PlanningSettings.current()
    first = calendar.next_working_day(month_end(month_start(month)) + timedelta(days=1))
    return _at(calendar.add_working_days(first, settings.monthly_summary_due_working_days - 1), settings)


def summary_submittable_from(*, week_start: date | None = None, month: date | None = None) -> date:
    """The first day a weekly (`week_start`) or monthly (`month`) summary may be handed in: the last
    working day of its period (its last day when the period has no working day)."""
    if week_start is not None:
        days = week_working_days(week_start)
        return days[-1] if days else week_start + timedelta(days=6)
    end = month_end(month_start(month))
    day = end
    while day >= month_start(month):
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return end


@dataclass(frozen=True)
class Kind:
    """One document type: its model, its period field, what the owner writes, when it is due."""

    code: str
    label: object
    model: type
    period_field: str  # week_start or month
    text_fields: tuple[str, ...]
    bool_fields: tuple[str, ...] = ()
    count_fields: tuple[str, ...] = ()
    due: object = None  # (period, settings) → datetime

    @property
    def weekly(self) -> bool:
        return self.period_field == "week_start"

    def period(self, day: date) -> date:
        return week_start(day) if self.weekly else month_start(day)

    def due_at(self, period: date, settings: PlanningSettings | None = None) -> datetime:
        return self.due(period, settings)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.text_fields + self.bool_fields + self.count_fields


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            ARRANGEMENT,
            gettext_lazy("Weekly work arrangement"),
            WeeklyArrangement,
            "week_start",
            ("info_focus", "product_focus", "other"),
            due=arrangement_due_at,
        ),
        Kind(
            WEEKLY_SUMMARY,
            gettext_lazy("Weekly summary"),
            WeeklySummary,
            "week_start",
            ("soundness", "effectiveness", "notes"),
            bool_fields=("plan_sound", "effective"),
            due=weekly_summary_due_at,
        ),
        Kind(
            MONTHLY_PLAN,
            gettext_lazy("Monthly work plan"),
            MonthlyPlan,
            "month",
            ("focus", "key_clients_note"),
            count_fields=("clients_to_visit", "key_clients_to_visit"),
            due=monthly_plan_due_at,
        ),
        Kind(
            MONTHLY_SUMMARY,
            gettext_lazy("Monthly summary"),
            MonthlySummary,
            "month",
            ("analysis_accuracy", "lessons"),
            due=monthly_summary_due_at,
        ),
    ]
}

_YES = {True, "true", "True", "1", "yes", "on"}
_NO = {False, "false", "False", "0", "no", "off"}


def _clean(kind: Kind, data: dict) -> dict:
    """The document's own fields from `data` (unknown keys ignored), checked."""
    values, errors = {}, {}
    for name in kind.text_fields:
        if name in data:
            value = (data[name] or "").strip()
            if len(value) > MAX_TEXT:
                errors[name] = [_("Keep it under %(max)d characters.") % {"max": MAX_TEXT}]
            else:
                values[name] = value
    for name in kind.bool_fields:
        if name in data:
            raw = data[name]
            if raw in (None, ""):
                values[name] = None
            elif raw in _YES:
                values[name] = True
            elif raw in _NO:
                values[name] = False
            else:
                errors[name] = [_("Answer yes or no.")]
    for name in kind.count_fields:
        if name in data:
            try:
                value = 0 if data[name] in (None, "") else int(data[name])
            except (TypeError, ValueError):
                errors[name] = [_("Enter a whole number.")]
                continue
            if not 0 <= value <= MAX_CLIENTS:
                errors[name] = [_("Enter a number from 0 to %(max)d.") % {"max": MAX_CLIENTS}]
            else:
                values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _check(kind: Kind, document) -> None:
    if kind.code == MONTHLY_PLAN and document.key_clients_to_visit > document.clients_to_visit:
        raise ValidationError(
            {"key_clients_to_visit": [_("Key clients to visit are part of the clients to visit.")]}
        )


@transaction.atomic
def plan_document_save(
    *,
    actor,
    kind: str,
    period: date,
    data: dict,
    expected_version: int | None = None,
    request=None,
    today: date | None = None,
):
    """Write the actor's own document of `kind` for the period containing `period` (created on the
    first save). `expected_version`: the version read (0 or None for a new one; None does not check an
    existing one). Returns (document, created or changed: bool)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError({"kind": [_("Unknown document.")]})
    today = today or timezone.localdate()
    period = spec.period(period)
    if spec.code == MONTHLY_SUMMARY and period > today:
        raise ValidationError({"month": [_("A month is summarised once it has begun.")]})
    values = _clean(spec, data)
    model = spec.model
    document = model.objects.filter(owner=actor, **{spec.period_field: period}).first()
    if document is None:
        if expected_version:  # the caller had a document that is no longer there
            raise StaleDocument()
        if actor.org_node_id is None:
            raise ValidationError(_("An account manager needs an org node before he writes plans."))
        document = model(
            owner=actor,
            org_node_id=actor.org_node_id,
            due_at=spec.due_at(period),
            **{spec.period_field: period},
        )
        for name, value in values.items():
            setattr(document, name, value)
        _check(spec, document)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            raise StaleDocument() from None
        document.events.create(actor=actor, at=document.created_at, action="create", to_state=document.state)
        audit_record(
            event=AuditEvent.PLAN_DOCUMENT_SAVED,
            actor=actor,
            request=request,
            target=document,
            detail={"kind": spec.code, "created": True},
        )
        return document, True
    if document.owner_id != actor.pk:  # pragma: no cover - filtered on the owner above
        raise PermissionDenied(_("Only the account manager writes his own plans."))
    if not document.is_editable:
        raise ValidationError(_("This document is submitted; it can no longer be changed."))
    version = document.version if expected_version is None else expected_version
    if document.version != version:
        raise StaleDocument()
    changed = {name: value for name, value in values.items() if getattr(document, name) != value}
    if not changed:
        return document, False
    for name, value in changed.items():
        setattr(document, name, value)
    _check(spec, document)
    now = timezone.now()
    updated = model.objects.filter(pk=document.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **changed
    )
    if not updated:
        raise StaleDocument()
    document.refresh_from_db()
    document.events.create(
        actor=actor, at=now, action="update", from_state=document.state, to_state=document.state
    )
    audit_record(
        event=AuditEvent.PLAN_DOCUMENT_SAVED,
        actor=actor,
        request=request,
        target=document,
        detail={"kind": spec.code, "fields": sorted(changed)},
    )
    return document, True


def kind_of(document) -> Kind:
    return next(kind for kind in KINDS.values() if isinstance(document, kind.model))


__all__ = [
    "ARRANGEMENT",
    "KINDS",
    "MONTHLY_PLAN",
    "MONTHLY_SUMMARY",
    "WEEKLY_SUMMARY",
    "Kind",
    "arrangement_due_at",
    "kind_of",
    "monthly_plan_due_at",
    "monthly_summary_due_at",
    "plan_document_save",
    "summary_submittable_from",
    "week_month",
    "week_start",
    "week_working_days",
    "weekly_summary_due_at",
]
