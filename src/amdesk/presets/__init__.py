"""Industry presets: the vocabulary, roles, ladder and reference lists of one industry, as data.

Each preset is `<code>.toml` here, laid over `common.toml`. Applying one upserts by code, so
running it twice changes nothing and an operator's later edits in the admin are only
overwritten by applying a preset again on purpose.
"""

import tomllib
from functools import reduce
from importlib import resources
from operator import or_
from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from amdesk.attachments.models import AttachmentCategory
from amdesk.clients.completeness import completeness_refresh
from amdesk.clients.models import (
    ArchiveRequirement,
    BadgeColour,
    Client,
    ClientGrade,
    ClientTier,
    CreditRatingClass,
    CreditRatingItem,
    Product,
    ProductLine,
    VipLevel,
)
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import SiteProfile
from amdesk.orgs.models import LadderGrade, OrgLevel, Role
from amdesk.planning.models import PerformanceItem
from amdesk.visits.models import AnomalyKind, ChecklistItem, FindingOutcome, VisitNorm, VisitSettings


class UnknownPreset(ValueError):
    pass


def available_presets() -> list[str]:
    names = (entry.name for entry in resources.files(__package__).iterdir())
    return sorted(
        name.removesuffix(".toml") for name in names if name.endswith(".toml") and name != "common.toml"
    )


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def load_preset(code: str) -> dict[str, Any]:
    if code not in available_presets():
        raise UnknownPreset(
            f"Unknown industry preset {code!r}; choose one of {', '.join(available_presets())}."
        )
    common, preset = _read("common"), _read(code)
    roles = []
    for role in common["roles"]:
        name, name_en = preset.get("role_names", {}).get(role["code"], (role["name"], role["name_en"]))
        roles.append({**role, "name": name, "name_en": name_en})
    inherited = (
        "ladder",
        "credit_rating_items",
        "credit_rating_classes",
        "archive_requirements",
        "client_tiers",
        "client_grades",
        "visit_norms",
        "visit_checklist",
        "risk_signals",
        "visit_anomaly_kinds",
        "finding_outcomes",
        "inspected_product_lines",
        "performance_items",
        "indicators",
        "attachment_categories",
    )
    return {**preset, "roles": roles, **{key: preset.get(key, common[key]) for key in inherited}}


@transaction.atomic
def preset_apply(*, actor, code: str) -> dict[str, Any]:
    preset = load_preset(code)
    for depth, (name, name_en) in enumerate(preset["org_levels"]):
        OrgLevel.objects.update_or_create(depth=depth, defaults={"name": name, "name_en": name_en})
    for role in preset["roles"]:
        Role.objects.update_or_create(
            code=role["code"],
            defaults={
                "name": role["name"],
                "name_en": role["name_en"],
                "scope": role["scope"],
                "write_scope": role.get("write_scope", Role.WriteScope.NONE),
                "may_see_personal_data": role.get("may_see_personal_data", False),
                "admin_site": role.get("admin_site", False),
                "superuser": role.get("superuser", False),
                "desk_cards": role.get("desk", []),
            },
        )
    _apply_role_permissions(preset["roles"])
    for order, grade in enumerate(preset["ladder"], start=1):
        LadderGrade.objects.update_or_create(
            code=grade["code"],
            defaults={
                "tier": grade["tier"],
                "tier_name": grade["tier_name"],
                "name": grade["name"],
                "name_en": grade["name_en"],
                "order": order,
            },
        )
    for model, key in ((ProductLine, "product_lines"), (VipLevel, "vip_levels")):
        for order, (item_code, name, name_en) in enumerate(preset[key], start=1):
            model.objects.update_or_create(
                code=item_code, defaults={"name": name, "name_en": name_en, "order": order, "is_active": True}
            )
        # Items of another industry applied earlier stay for history but are no longer offered.
        model.objects.exclude(code__in=[item[0] for item in preset[key]]).update(is_active=False)
    _apply_client_reference(preset)
    _apply_visit_reference(preset)
    _apply_planning_reference(preset)
    # The appraisal library and its reference data (ladder rules, pay bands, DISC models…).
    from amdesk.appraisal.presets import appraisal_preset_apply

    appraisal_preset_apply(code)
    _apply_attachment_categories(preset)
    profile = SiteProfile.current()
    profile.industry = code
    profile.organisation_name = profile.organisation_name or preset["demo"]["organisation"]
    profile.save()
    audit_record(event=AuditEvent.PRESET_APPLIED, actor=actor, detail={"industry": code})
    return preset


def _apply_role_permissions(roles: list[dict[str, Any]]) -> None:
    """The Django permissions a role holds by its preset ("app.codename"): added, so what an operator
    granted in the admin stays."""
    for role in roles:
        wanted = [name.split(".", 1) for name in role.get("permissions", [])]
        if not wanted:
            continue
        found = list(
            Permission.objects.filter(
                reduce(or_, (Q(content_type__app_label=app, codename=codename) for app, codename in wanted))
            )
        )
        if len(found) != len(wanted):
            raise ValueError(
                f"Unknown permission in the preset of role {role['code']!r}: {role['permissions']}"
            )
        Role.objects.get(code=role["code"]).permissions.add(*found)


def _apply_client_classes(preset: dict[str, Any]) -> None:
    """Tiers and grades: upserted by code; another industry's stay for the clients kept on them."""
    colours = set(BadgeColour.values)
    tiers = preset["client_tiers"]
    grades = preset["client_grades"]
    if not tiers:
        raise ValueError("A preset needs at least one client tier (new clients get the lowest).")
    for code, _name, _name_en, _extra, colour, _aliases in [*tiers, *grades]:
        if colour not in colours:
            raise ValueError(
                f"Tier or grade {code!r}: unknown colour {colour!r}; use one of {sorted(colours)}."
            )
    for order, (code, name, name_en, is_key, colour, aliases) in enumerate(tiers, start=1):
        ClientTier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_key": is_key,
                "colour": colour,
                "aliases": aliases,
                "order": order,
                "is_active": True,
            },
        )
    ClientTier.objects.exclude(code__in=[item[0] for item in tiers]).update(is_active=False)
    for order, (code, name, name_en, rank, colour, aliases) in enumerate(grades, start=1):
        ClientGrade.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "rank": rank,
                "colour": colour,
                "aliases": aliases,
                "order": order,
                "is_active": True,
            },
        )
    ClientGrade.objects.exclude(code__in=[item[0] for item in grades]).update(is_active=False)


def _apply_client_reference(preset: dict[str, Any]) -> None:
    _apply_client_classes(preset)
    lines = {line.code: line for line in ProductLine.objects.all()}
    products = preset.get("products", [])
    for order, (code, name, name_en, line, margin, counts_to_aum) in enumerate(products, start=1):
        Product.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "line": lines[line],
                "margin_percent": str(margin),
                "counts_to_aum": counts_to_aum,
                "order": order,
                "is_active": True,
            },
        )
    Product.objects.exclude(code__in=[item[0] for item in products]).update(is_active=False)
    items = preset["credit_rating_items"]
    for order, (code, name, name_en, max_score) in enumerate(items, start=1):
        CreditRatingItem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "max_score": max_score,
                "order": order,
                "is_active": True,
            },
        )
    CreditRatingItem.objects.exclude(code__in=[item[0] for item in items]).update(is_active=False)
    classes = preset["credit_rating_classes"]
    for code, min_score, description in classes:
        CreditRatingClass.objects.update_or_create(
            code=code, defaults={"min_score": min_score, "description": description}
        )
    CreditRatingClass.objects.exclude(code__in=[item[0] for item in classes]).delete()
    requirements = preset["archive_requirements"]
    for order, (field, applies_to) in enumerate(requirements, start=1):
        ArchiveRequirement.objects.update_or_create(
            field=field, applies_to=applies_to, defaults={"order": order, "is_active": True}
        )
    keep = [(field, applies_to) for field, applies_to in requirements]
    for requirement in ArchiveRequirement.objects.all():
        if (requirement.field, requirement.applies_to) not in keep:
            requirement.is_active = False
            requirement.save(update_fields=["is_active"])
    completeness_refresh(Client.objects.all())


def _apply_visit_reference(preset: dict[str, Any]) -> None:
    vip_levels = {level.code: level for level in VipLevel.objects.all()}
    tiers = {tier.code: tier for tier in ClientTier.objects.all()}
    grades = {grade.code: grade for grade in ClientGrade.objects.all()}
    norms = preset["visit_norms"]
    for order, (name, tier, lifecycle, grade, vip_level, interval_days) in enumerate(norms, start=1):
        if (tier and tier not in tiers) or (grade and grade not in grades):
            raise ValueError(
                f"Visit norm {name!r}: no client tier {tier!r} or grade {grade!r} in the preset."
            )
        VisitNorm.objects.update_or_create(
            name=name,
            defaults={
                "tier": tiers[tier] if tier else None,
                "lifecycle": lifecycle,
                "grade": grades[grade] if grade else None,
                "vip_level": vip_levels[vip_level] if vip_level else None,
                "interval_days": interval_days or None,
                "order": order,
                "is_active": True,
            },
        )
    VisitNorm.objects.exclude(name__in=[norm[0] for norm in norms]).update(is_active=False)
    for purpose, key in (
        (ChecklistItem.Purpose.VISIT, "visit_checklist"),
        (ChecklistItem.Purpose.RISK_SIGNAL, "risk_signals"),
    ):
        items = preset[key]
        for order, (code, name, name_en) in enumerate(items, start=1):
            ChecklistItem.objects.update_or_create(
                code=code,
                defaults={
                    "purpose": purpose,
                    "name": name,
                    "name_en": name_en,
                    "order": order,
                    "is_active": True,
                },
            )
        ChecklistItem.objects.filter(purpose=purpose).exclude(code__in=[item[0] for item in items]).update(
            is_active=False
        )
    # What a visit may report for the supervisor and what he may record as done about it.
    for model, key in ((AnomalyKind, "visit_anomaly_kinds"), (FindingOutcome, "finding_outcomes")):
        items = preset[key]
        for order, (code, name, name_en, *extra) in enumerate(items, start=1):
            defaults = {"name": name, "name_en": name_en, "order": order, "is_active": True}
            if model is FindingOutcome:
                defaults["needs_note"] = bool(extra and extra[0])
            model.objects.update_or_create(code=code, defaults=defaults)
        # Those of another industry stay for the records that used them but are no longer offered.
        model.objects.exclude(code__in=[item[0] for item in items]).update(is_active=False)
    VisitSettings.objects.update_or_create(
        pk=1, defaults={"inspected_product_lines": list(preset["inspected_product_lines"])}
    )


def _apply_attachment_categories(preset: dict[str, Any]) -> None:
    """Only the missing categories are added: the admin's names and flags are his (and the data a
    migration seeded is back after a test database was flushed)."""
    for order, (code, name, name_en, personal) in enumerate(preset["attachment_categories"], start=1):
        AttachmentCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "personal_data": personal, "sort_order": order * 10},
        )


def _apply_planning_reference(preset: dict[str, Any]) -> None:
    from amdesk.planning.sources import SOURCES

    items = [(*item, "") for item in preset["performance_items"]] + [
        tuple(item) for item in preset["indicators"]
    ]
    for order, (code, name, name_en, unit, unit_en, source) in enumerate(items, start=1):
        if source and source not in SOURCES:
            known = ", ".join(SOURCES)
            raise ValueError(f"Indicator {code!r}: unknown source {source!r}; use one of {known}.")
        PerformanceItem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "unit_en": unit_en,
                "source": source,
                "order": order,
                "is_active": True,
            },
        )
    # Items of another industry stay for the figures registered under them but are no longer offered.
    PerformanceItem.objects.exclude(code__in=[item[0] for item in items]).update(is_active=False)
