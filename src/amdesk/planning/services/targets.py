"""Monthly targets 目标设定表: a supervisor sets an account manager's targets (approved at once),
possibly split from the team's target evenly or by weights; an account manager proposes his own
and submits them (documents.document_transition: his supervisor approves or returns them).

Weekly targets default to the month's target spread over weeks 1–5 by their working days."""

from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core import calendar
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.i18n import labelled
from amdesk.orgs.access import access_staff, may_hand_over

from ..models import WEEKS, PerformanceItem, PlanningSettings, TargetLine, TargetSheet
from ..workflow import DocState
from .common import StaleDocument, month_start
from .performance import month_end, parse_value

CENT = Decimal("0.01")
ONE = Decimal("1")
# Units counted in whole numbers (households, cards, times, pieces): their splits are whole numbers.
COUNT_UNITS = frozenset({"户", "张", "次", "个"})


def split_step(item, total: Decimal) -> Decimal:
    """The smallest share of a split of `total` on `item`: one for a whole total of a count unit,
    else a cent."""
    if item is not None and item.unit in COUNT_UNITS and total == total.to_integral_value():
        return ONE
    return CENT


def week_of(month: date, day: date) -> int:
    """The week of `day` on the month's performance grid (Monday-first), 1–5 (a sixth is week 5)."""
    return min((day.day - 1 + month.weekday()) // 7 + 1, WEEKS)


def week_working_days(month: date) -> list[int]:
    """How many working days each of weeks 1–5 of the month has."""
    counts = [0] * WEEKS
    for day in range(1, month_end(month).day + 1):
        current = month.replace(day=day)
        if calendar.is_working_day(current):
            counts[week_of(month, current) - 1] += 1
    return counts


def split_total(total: Decimal, weights: dict, step: Decimal = CENT) -> dict:
    """`total` shared by `weights` (key → weight ≥ 0), in steps of `step` (cents; one for count
    units, split_step), the shares adding up to `total`: each share rounded down, the steps left over
    go to the largest weights first."""
    positive = {key: Decimal(str(weight)) for key, weight in weights.items() if Decimal(str(weight)) > 0}
    if not positive:
        return {key: Decimal("0.00") for key in weights}
    whole = sum(positive.values())
    shares = {
        key: ((total * weight / whole / step).to_integral_value(rounding=ROUND_DOWN) * step).quantize(CENT)
        for key, weight in positive.items()
    }
    left = int((total - sum(shares.values())) / step)
    for key in sorted(positive, key=lambda k: (-positive[k], str(k)))[: max(left, 0)]:
        shares[key] += step
    return {key: shares.get(key, Decimal("0.00")).quantize(CENT) for key in weights}


def weekly_split(month: date, total: Decimal, step: Decimal = CENT) -> list[Decimal]:
    return list(split_total(total, dict(enumerate(week_working_days(month))), step).values())


def targets_due_at(month: date, settings: PlanningSettings | None = None) -> datetime:
    settings = settings or PlanningSettings.current()
    first = calendar.next_working_day(month)
    day = calendar.add_working_days(first, max(settings.targets_due_working_days - 1, 0))
    return timezone.make_aware(datetime.combine(day, settings.log_due_time))


def _clean_lines(month: date, lines: dict) -> dict[int, dict]:
    """{item code: {"target": value, "weeks": [5 values] or None}} → {item id: cleaned}; a target of
    None or "" removes the line; weeks left out are spread over the month by working days."""
    items = {item.code: item for item in PerformanceItem.objects.all()}
    cleaned, errors = {}, []
    for code, line in lines.items():
        item = items.get(code)
        if item is None:
            errors.append(_("Unknown indicator “%(code)s”.") % {"code": code})
            continue
        try:
            target = parse_value(line.get("target"))
            weeks = line.get("weeks")
            weeks = None if weeks is None else [parse_value(value) for value in weeks]
        except ValueError as exc:
            errors.append(labelled(item, exc))
            continue
        if weeks is not None and len(weeks) > WEEKS:
            errors.append(_("%(item)s: at most %(n)d weekly targets.") % {"item": item, "n": WEEKS})
            continue
        if target is not None and not item.is_active:
            errors.append(_("“%(item)s” is no longer registered.") % {"item": item})
            continue
        if target is not None and (weeks is None or all(value is None for value in weeks)):
            weeks = weekly_split(month, target, split_step(item, target))
        cleaned[item.pk] = {"target": target, "weeks": (weeks or []) + [None] * (WEEKS - len(weeks or []))}
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


def _write_lines(sheet: TargetSheet, wanted: dict[int, dict]) -> int:
    """Write the lines that changed; returns how many did."""
    stored = {line.item_id: line for line in TargetLine.objects.filter(sheet=sheet)}
    changed = 0
    for item_id, values in wanted.items():
        line = stored.get(item_id)
        weeks = {f"week{n}": values["weeks"][n - 1] for n in range(1, WEEKS + 1)}
        if values["target"] is None:
            if line is not None:
                line.delete()
                changed += 1
        elif line is None:
            TargetLine.objects.create(sheet=sheet, item_id=item_id, target=values["target"], **weeks)
            changed += 1
        elif line.target != values["target"] or any(getattr(line, k) != v for k, v in weeks.items()):
            TargetLine.objects.filter(pk=line.pk).update(target=values["target"], **weeks)
            changed += 1
    return changed


def _sheet_of(owner, month: date, expected_version: int | None) -> TargetSheet:
    sheet = TargetSheet.objects.filter(owner=owner, month=month).first()
    if sheet is not None:
        if expected_version is not None and sheet.version != expected_version:
            raise StaleDocument()
        return sheet
    if expected_version:  # the caller had a sheet that is no longer there
        raise StaleDocument()
    if owner.org_node_id is None:
        raise ValidationError(_("An account manager needs an org node before he has targets."))
    try:
        with transaction.atomic():
            return TargetSheet.objects.create(
                owner=owner,
                org_node_id=owner.org_node_id,
                month=month,
                due_at=targets_due_at(month),
                version=0,
            )
    except IntegrityError:
        raise StaleDocument() from None


@transaction.atomic
def target_sheet_save(
    *,
    actor,
    owner,
    month: date,
    lines: dict,
    expected_version: int | None = None,
    request=None,
) -> tuple[TargetSheet, int]:
    """Write `owner`'s targets of `month` (`lines` as for _clean_lines; indicators left out keep theirs).

    - the owner himself proposes: only while his sheet is a draft or returned, and not once a
      supervisor set it; he submits it afterwards;
    - someone overseeing the owner (his scope, not himself) sets them: the sheet is approved at once,
      whatever its state, and records him as reviewer.
    `expected_version` is the version read (0: no sheet yet; None: do not check). Returns the sheet
    and the number of lines changed."""
    month = month_start(month)
    setting = owner.pk != actor.pk
    if setting:
        if not may_hand_over(actor):
            raise PermissionDenied(_("Only the account manager's supervisor sets his targets."))
        owner = access_staff(actor, owner.pk)  # "not found" outside the actor's scope
    wanted = _clean_lines(month, lines)
    sheet = _sheet_of(owner, month, expected_version)
    if not setting and sheet.version and not sheet.is_editable:
        raise ValidationError(_("These targets are submitted or approved; they can no longer be changed."))
    version = sheet.version
    changed = _write_lines(sheet, wanted)
    if not changed and version > 0 and not (setting and sheet.state != DocState.REVIEWED):
        return sheet, 0
    now = timezone.now()
    values = {"updated_at": now}
    if setting:
        values.update(state=DocState.REVIEWED, set_by=actor, reviewer=actor, reviewed_at=now)
    updated = TargetSheet.objects.filter(pk=sheet.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleDocument()
    from_state = sheet.state
    sheet.refresh_from_db()
    sheet.events.create(
        actor=actor,
        at=now,
        action="set" if setting else ("create" if version == 0 else "update"),
        from_state="" if version == 0 else from_state,
        to_state=sheet.state,
    )
    audit_record(
        event=AuditEvent.TARGETS_SAVED,
        actor=actor,
        request=request,
        target=sheet,
        detail={"owner": owner.pk, "month": month.strftime("%Y-%m"), "lines": changed, "set": setting},
    )
    return sheet, changed


@transaction.atomic
def team_targets_split(
    *, actor, month: date, item_code: str, total, weights: dict[int, object], request=None
) -> dict[int, Decimal]:
    """Split the team's `total` of one indicator among the account managers in `weights` ({staff id:
    weight}; equal weights split evenly) and set each one's target (weekly targets by working days).
    Every one of them must be in the actor's scope. Returns {staff id: target}."""
    if not may_hand_over(actor):
        raise PermissionDenied(_("Only a supervisor splits the team's targets."))
    try:
        total = parse_value(total)
    except ValueError as exc:
        raise ValidationError({"total": [str(exc)]}) from None
    if total is None:
        raise ValidationError({"total": [_("Enter the team's target.")]})
    if not weights:
        raise ValidationError({"weights": [_("Choose the account managers who share the target.")]})
    try:
        parsed = {int(pk): Decimal(str(weight or 0)) for pk, weight in weights.items()}
    except (ArithmeticError, ValueError):
        raise ValidationError({"weights": [_("Weights are numbers of at least 0.")]}) from None
    if any(weight < 0 or not weight.is_finite() for weight in parsed.values()) or not any(parsed.values()):
        raise ValidationError({"weights": [_("Weights are numbers of at least 0, one of them above 0.")]})
    people = {pk: access_staff(actor, pk) for pk in parsed}
    if actor.pk in people:
        raise ValidationError({"weights": [_("Your own targets are set by your supervisor.")]})
    item = PerformanceItem.objects.filter(code=item_code).first()
    shares = split_total(total, parsed, split_step(item, total))
    for pk, share in shares.items():
        target_sheet_save(
            actor=actor, owner=people[pk], month=month, lines={item_code: {"target": share}}, request=request
        )
    return shares


__all__ = [
    "COUNT_UNITS",
    "split_step",
    "split_total",
    "target_sheet_save",
    "targets_due_at",
    "team_targets_split",
    "week_of",
    "week_working_days",
    "weekly_split",
]
