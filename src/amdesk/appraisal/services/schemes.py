"""Writing appraisal schemes: create, draft a new version, edit the draft (criteria, indicators,
points, judgment matrices), activate it.

Only a draft changes: a version that was active keeps its numbers, since periods ran with it. Every
edit of a draft may bring the stamp (selectors.schemes.draft_stamp) its page was built from; when
the draft changed since, the edit is refused and nothing is overwritten. Adding or removing an item
resizes its level's matrix (judgments with the new item are 1) and recomputes that level's weights,
so a draft always has a matrix of the right size; activation insists on every level's consistency."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .. import ahp as ahp_maths
from ..models import AppraisalSettings, Criterion, Indicator, Scheme, SchemeIndicator, SchemeVersion
from ..selectors.schemes import draft_stamp, ensure_may_manage_schemes, level_problems, version_tree


class StaleDraft(ValidationError):
    """The draft changed since the page was read."""


def _locked_draft(version: SchemeVersion, stamp: str | None) -> SchemeVersion:
    """The version, locked for this transaction; refused unless it is a draft and (when a stamp is
    given) unchanged since it was read."""
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if not version.editable:
        raise ValidationError(_("Only a draft can be changed: this version has been in use."))
    if stamp is not None and stamp != draft_stamp(version):
        raise StaleDraft(
            _("Someone changed this draft after you opened it. Reload the page and make your change again.")
        )
    return version


def _changed(actor, version, what: str, request=None, **detail) -> None:
    audit_record(
        event=AuditEvent.SCHEME_CHANGED,
        actor=actor,
        request=request,
        target=version,
        detail={"change": what, **detail},
    )


def _apply_weights(matrix, items, field_name: str = "weight") -> float | None:
    """Compute the level's AHP and store each item's weight; the level's CR (None when empty)."""
    if not items:
        return None
    result = ahp_maths.ahp(matrix)
    for item, weight in zip(items, result.weights, strict=True):
        setattr(item, field_name, weight)
        item.save(update_fields=[field_name])
    return result.cr


def _criteria(version) -> list[Criterion]:
    return list(Criterion.objects.filter(version=version).order_by("order", "id"))


def _items(criterion) -> list[SchemeIndicator]:
    return list(criterion.indicators.order_by("order", "id"))


def _resize_criteria(version, keep: list[int | None]) -> None:
    version.matrix = ahp_maths.resized(version.matrix, keep) if keep else []
    version.consistency_ratio = _apply_weights(version.matrix, _criteria(version))
    version.save(update_fields=["matrix", "consistency_ratio"])


def _resize_indicators(criterion, keep: list[int | None]) -> None:
    criterion.matrix = ahp_maths.resized(criterion.matrix, keep) if keep else []
    criterion.consistency_ratio = _apply_weights(criterion.matrix, _items(criterion))
    criterion.save(update_fields=["matrix", "consistency_ratio"])


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def scheme_create(
    *,
    actor,
    code: str,
    name: str,
    period_kind: str,
    roles,
    org_node=None,
    description: str = "",
    request=None,
) -> Scheme:
    """A scheme with its first draft (version 1), empty."""
    ensure_may_manage_schemes(actor)
    scheme = Scheme(code=code, name=name, period_kind=period_kind, org_node=org_node, description=description)
    scheme.full_clean()
    roles = list(roles)
    if not roles:
        raise ValidationError({"roles": [_("Choose the roles this scheme appraises.")]})
    scheme.save()
    scheme.roles.set(roles)
    version = SchemeVersion.objects.create(scheme=scheme, number=1, created_by=actor)
    _changed(actor, version, "created", request, code=code)
    return scheme


@transaction.atomic
def scheme_draft(*, actor, scheme: Scheme, note: str = "", request=None) -> SchemeVersion:
    """A new draft copied from the active version (or the latest one): criteria, matrices,
    indicators and points. Refused while a draft exists."""
    ensure_may_manage_schemes(actor)
    Scheme.objects.select_for_update().get(pk=scheme.pk)  # one draft at a time, also under a race
    versions = scheme.versions.all()
    if versions.filter(state=SchemeVersion.State.DRAFT).exists():
        raise ValidationError(_("This scheme already has a draft: edit that one."))
    source = versions.filter(state=SchemeVersion.State.ACTIVE).first() or versions.order_by("-number").first()
    draft = SchemeVersion.objects.create(
        scheme=scheme,
        number=(versions.aggregate(top=Max("number"))["top"] or 0) + 1,
        matrix=source.matrix if source else [],
        consistency_ratio=source.consistency_ratio if source else None,
        note=note,
        created_by=actor,
    )
    if source is not None:
        for criterion in _criteria(source):
            items = _items(criterion)
            criterion.pk, criterion.id, criterion.version = None, None, draft
            criterion._state.adding = True
            criterion.save()
            for item in items:
                item.pk, item.id, item.criterion = None, None, criterion
                item._state.adding = True
                item.save()
    _changed(actor, draft, "drafted", request, source=source.number if source else None)
    return draft


@transaction.atomic
def criterion_add(
    *, actor, version: SchemeVersion, name: str, stamp: str | None = None, request=None
) -> Criterion:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(version, stamp)
    count = Criterion.objects.filter(version=version).count()
    if count >= ahp_maths.MAX_ORDER:
        raise ValidationError(_("A level may have at most %(max)d items.") % {"max": ahp_maths.MAX_ORDER})
    criterion = Criterion(
        version=version, name=name.strip(), order=_next_order(Criterion.objects.filter(version=version))
    )
    criterion.full_clean()
    criterion.save()
    _resize_criteria(version, [*range(count), None])
    _changed(actor, version, "criterion_added", request, name=criterion.name)
    return criterion


@transaction.atomic
def criterion_rename(
    *, actor, criterion: Criterion, name: str, stamp: str | None = None, request=None
) -> Criterion:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(criterion.version, stamp)
    criterion = Criterion.objects.get(pk=criterion.pk)
    old, criterion.name = criterion.name, name.strip()
    criterion.full_clean()
    criterion.save(update_fields=["name"])
    _changed(actor, version, "criterion_renamed", request, old=old, name=criterion.name)
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion, stamp: str | None = None, request=None) -> None:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(criterion.version, stamp)
    criteria = _criteria(version)
    position = [c.pk for c in criteria].index(criterion.pk)
    criterion.delete()
    _resize_criteria(version, [i for i in range(len(criteria)) if i != position])
    _changed(actor, version, "criterion_removed", request, name=criterion.name)


def _points(item: SchemeIndicator, points: dict) -> None:
    """Fixed ends or percentiles; percentiles not given take the settings' defaults."""
    settings = AppraisalSettings.current()
    mode = points.get("point_mode") or item.point_mode or SchemeIndicator.PointMode.PERCENTILE
    item.point_mode = mode
    if mode == SchemeIndicator.PointMode.FIXED:
        item.low, item.high = points.get("low"), points.get("high")
        for name in ("low", "high"):
            if getattr(item, name) in (None, ""):
                raise ValidationError({name: [_("Give both ends of the scale as numbers.")]})
            setattr(item, name, Decimal(str(getattr(item, name))))
        if item.low >= item.high:
            raise ValidationError({"high": [_("The high end must be above the low end.")]})
    else:
        item.low = item.high = None
        low, high = points.get("low_percentile"), points.get("high_percentile")
        item.low_percentile = settings.default_low_percentile if low in (None, "") else int(low)
        item.high_percentile = settings.default_high_percentile if high in (None, "") else int(high)
        if item.low_percentile >= item.high_percentile:
            raise ValidationError(
                {"high_percentile": [_("The low end's percentile must be below the high end's.")]}
            )


@transaction.atomic
def scheme_indicator_add(
    *, actor, criterion: Criterion, indicator: Indicator, points: dict | None = None, stamp=None, request=None
) -> SchemeIndicator:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(criterion.version, stamp)
    criterion = Criterion.objects.get(pk=criterion.pk)
    if not indicator.is_active:
        raise ValidationError({"indicator": [_("This indicator is no longer active.")]})
    items = _items(criterion)
    if any(item.indicator_id == indicator.pk for item in items):
        raise ValidationError({"indicator": [_("This indicator is already under the criterion.")]})
    if len(items) >= ahp_maths.MAX_ORDER:
        raise ValidationError(_("A level may have at most %(max)d items.") % {"max": ahp_maths.MAX_ORDER})
    item = SchemeIndicator(criterion=criterion, indicator=indicator, order=_next_order(criterion.indicators))
    _points(item, points or {})
    item.full_clean()
    item.save()
    _resize_indicators(criterion, [*range(len(items)), None])
    _changed(actor, version, "indicator_added", request, criterion=criterion.name, indicator=indicator.code)
    return item


@transaction.atomic
def scheme_indicator_update(
    *, actor, item: SchemeIndicator, points: dict, stamp=None, request=None
) -> SchemeIndicator:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(item.criterion.version, stamp)
    item = SchemeIndicator.objects.select_related("indicator").get(pk=item.pk)
    _points(item, points)
    item.full_clean()
    item.save(update_fields=["point_mode", "low", "high", "low_percentile", "high_percentile"])
    _changed(actor, version, "points_changed", request, indicator=item.indicator.code, mode=item.point_mode)
    return item


@transaction.atomic
def scheme_indicator_remove(*, actor, item: SchemeIndicator, stamp=None, request=None) -> None:
    ensure_may_manage_schemes(actor)
    version = _locked_draft(item.criterion.version, stamp)
    criterion = Criterion.objects.get(pk=item.criterion_id)
    items = _items(criterion)
    position = [i.pk for i in items].index(item.pk)
    code = item.indicator.code
    item.delete()
    _resize_indicators(criterion, [i for i in range(len(items)) if i != position])
    _changed(actor, version, "indicator_removed", request, criterion=criterion.name, indicator=code)


@transaction.atomic
def matrix_set(
    *, actor, version: SchemeVersion, upper, criterion: Criterion | None = None, stamp=None, request=None
) -> ahp_maths.AhpResult:
    """Store a level's judgments (the upper triangle on Saaty's scale, "1/3" or numbers), the full
    reciprocal matrix, each item's weight and the level's CR. An inconsistent matrix is stored (the
    editor shows what to mend); activation refuses it."""
    ensure_may_manage_schemes(actor)
    version = _locked_draft(version, stamp)
    if criterion is None:
        owner, items, level = version, _criteria(version), _("criteria")
    else:
        owner = Criterion.objects.get(pk=criterion.pk, version=version)
        items, level = _items(owner), owner.name
    if not items:
        raise ValidationError(_("There is nothing to compare yet: add items first."))
    try:
        full = ahp_maths.from_upper(upper, len(items))
        result = ahp_maths.ahp(full)
    except ahp_maths.MatrixError as exc:
        raise ValidationError({"matrix": [str(exc)]}) from exc
    owner.matrix = full
    owner.consistency_ratio = _apply_weights(full, items)
    owner.save(update_fields=["matrix", "consistency_ratio"])
    _changed(actor, version, "matrix_set", request, level=str(level), cr=round(result.cr, 4))
    return result


@transaction.atomic
def scheme_version_activate(*, actor, version: SchemeVersion, stamp=None, request=None) -> SchemeVersion:
    """Put a complete, consistent draft in use and retire the version before it."""
    ensure_may_manage_schemes(actor)
    version = _locked_draft(version, stamp)
    problems = level_problems(version_tree(version), AppraisalSettings.current().max_consistency_ratio)
    if problems:
        raise ValidationError([_("This draft cannot be activated yet."), *problems])
    previous = SchemeVersion.objects.select_for_update().filter(
        scheme_id=version.scheme_id, state=SchemeVersion.State.ACTIVE
    )
    retired = [v.number for v in previous]
    previous.update(state=SchemeVersion.State.RETIRED)
    version.state = SchemeVersion.State.ACTIVE
    version.activated_by, version.activated_at = actor, timezone.now()
    version.full_clean()
    version.save(update_fields=["state", "activated_by", "activated_at"])
    audit_record(
        event=AuditEvent.SCHEME_ACTIVATED,
        actor=actor,
        request=request,
        target=version,
        detail={"scheme": version.scheme.code, "version": version.number, "retired": retired},
    )
    return version
