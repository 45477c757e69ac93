"""Appraisal presets: the indicator library and the appraisal reference data of an industry, as data.

`common.toml` holds what every industry shares; `<industry>.toml` (the codes of amdesk.presets) adds
indicators and dimensions and replaces any reference list it names. Applying upserts by code or
natural key, so applying twice changes nothing; indicators and dimensions of another industry are
deactivated, never deleted (periods keep the results computed with them)."""

import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction

REFERENCE = (
    "ladder_rules",
    "grade_allowances",
    "pay_bands",
    "disc_models",
    "staffing_ratios",
    "selling_shares",
)


def _read(name: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath(f"{name}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def load_appraisal_preset(code: str) -> dict[str, Any]:
    """The merged preset of industry `code` (an industry without a file gets the common one)."""
    common, own = _read("common"), _read(code)
    dimensions = {item["code"]: item for item in [*common["dimensions"], *own.get("dimensions", [])]}
    indicators = {item["code"]: item for item in [*common["indicators"], *own.get("indicators", [])]}
    merged = {"dimensions": list(dimensions.values()), "indicators": list(indicators.values())}
    merged.update({key: own.get(key, common.get(key, [])) for key in REFERENCE})
    return merged


@transaction.atomic
def appraisal_preset_apply(code: str) -> dict[str, Any]:
    from amdesk.appraisal.models import Dimension

    preset = load_appraisal_preset(code)
    for order, item in enumerate(preset["dimensions"], start=1):
        Dimension.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "order": order,
                "is_active": True,
            },
        )
    Dimension.objects.exclude(code__in=[item["code"] for item in preset["dimensions"]]).update(
        is_active=False
    )
    _apply_indicators(preset["indicators"])
    _apply_ladder(preset)
    _apply_pay(preset)
    _apply_people(preset)
    return preset


def _apply_indicators(items: list[dict[str, Any]]) -> None:
    from django.core.exceptions import ValidationError

    from amdesk.appraisal.models import Dimension, Indicator
    from amdesk.appraisal.sources import validate_source

    dimensions = {dimension.code: dimension for dimension in Dimension.objects.all()}
    for order, item in enumerate(items, start=1):
        params = item.get("params", {})
        try:
            validate_source(item["source"], params)
        except ValidationError as error:
            raise ValueError(f"Indicator {item['code']!r}: {error.messages}") from error
        if item["dimension"] not in dimensions:
            raise ValueError(f"Indicator {item['code']!r}: unknown dimension {item['dimension']!r}.")
        Indicator.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "dimension": dimensions[item["dimension"]],
                "unit": item.get("unit", ""),
                "unit_en": item.get("unit_en", ""),
                "higher_is_better": not item.get("lower_is_better", False),
                "source": item["source"],
                "params": params,
                "description": item.get("description", ""),
                "optional": item.get("optional", False),
                "order": order,
                "is_active": True,
            },
        )
    # Another industry's indicators stay for the periods computed with them, no longer offered.
    Indicator.objects.exclude(code__in=[item["code"] for item in items]).update(is_active=False)


def _grades() -> dict:
    from amdesk.orgs.models import LadderGrade

    return {grade.code: grade for grade in LadderGrade.objects.all()}


def _apply_ladder(preset: dict[str, Any]) -> None:
    from amdesk.appraisal.models import LadderRule

    grades = _grades()
    for rule in preset["ladder_rules"]:
        if rule["grade"] not in grades:
            raise ValueError(f"Ladder rule: unknown grade {rule['grade']!r}.")
        score, below = rule.get("promote_score"), rule.get("demote_below")
        LadderRule.objects.update_or_create(
            grade=grades[rule["grade"]],
            defaults={
                "promote_score": None if score is None else Decimal(str(score)),
                "promote_periods": rule.get("promote_periods", 2),
                "demote_below": None if below is None else Decimal(str(below)),
                "is_active": True,
            },
        )


def _apply_pay(preset: dict[str, Any]) -> None:
    from amdesk.appraisal.models import GradeAllowance, PayBand

    grades = _grades()
    for grade, monthly in preset["grade_allowances"]:
        GradeAllowance.objects.update_or_create(
            grade=grades[grade], defaults={"monthly": Decimal(str(monthly))}
        )
    bands = preset["pay_bands"]
    for order, (name, min_aum, base, contract, bonus_only) in enumerate(bands, start=1):
        PayBand.objects.update_or_create(
            name=name,
            defaults={
                "min_aum": Decimal(str(min_aum)),
                "base_monthly": Decimal(str(base)),
                "formal_contract": contract,
                "opening_bonus_only": bonus_only,
                "order": order,
                "is_active": True,
            },
        )
    PayBand.objects.exclude(name__in=[band[0] for band in bands]).update(is_active=False)


def _apply_people(preset: dict[str, Any]) -> None:
    from amdesk.appraisal.models import DiscModel, SellingShareDefault, StaffingRatio
    from amdesk.orgs.models import Role

    roles = {role.code: role for role in Role.objects.all()}
    keep = []
    for role, name, d, i, s, c, note in preset["disc_models"]:
        model, _created = DiscModel.objects.update_or_create(
            role=roles[role],
            name=name,
            defaults={"d": d, "i": i, "s": s, "c": c, "source_note": note, "is_active": True},
        )
        keep.append(model.pk)
    DiscModel.objects.exclude(pk__in=keep).update(is_active=False)
    # Ratios and shares are settings, not history: the preset's replace any other.
    keep = []
    for role, per_role, per_count in preset["staffing_ratios"]:
        ratio, _created = StaffingRatio.objects.update_or_create(
            role=roles[role], per_role=roles[per_role], defaults={"per_count": per_count}
        )
        keep.append(ratio.pk)
    StaffingRatio.objects.exclude(pk__in=keep).delete()
    keep = []
    for role, share in preset["selling_shares"]:
        row, _created = SellingShareDefault.objects.update_or_create(
            role=roles[role], defaults={"share_percent": Decimal(str(share))}
        )
        keep.append(row.pk)
    SellingShareDefault.objects.exclude(pk__in=keep).delete()


def load_demo_scheme(code: str) -> dict[str, Any] | None:
    """The scheme `amdesk demo` builds for industry `code` (its own file's, else the common one's)."""
    return _read(code).get("demo_scheme") or _read("common").get("demo_scheme")
