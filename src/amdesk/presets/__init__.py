"""Industry presets: the vocabulary, roles, ladder and reference lists of one industry, as data.

Each preset is `<code>.toml` here, laid over `common.toml`. Applying one upserts by code, so
running it twice changes nothing and an operator's later edits in the admin are only
overwritten by applying a preset again on purpose.
"""

import tomllib
from importlib import resources
from typing import Any

from django.db import transaction

from amdesk.clients.models import ClientGrade, ProductLine
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import SiteProfile
from amdesk.orgs.models import LadderGrade, OrgLevel, Role


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
    return {**preset, "roles": roles, "ladder": preset.get("ladder", common["ladder"])}


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
                "may_see_personal_data": role.get("may_see_personal_data", False),
                "admin_site": role.get("admin_site", False),
                "superuser": role.get("superuser", False),
            },
        )
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
    for model, key in ((ProductLine, "product_lines"), (ClientGrade, "client_grades")):
        for order, (item_code, name, name_en) in enumerate(preset[key], start=1):
            model.objects.update_or_create(
                code=item_code, defaults={"name": name, "name_en": name_en, "order": order, "is_active": True}
            )
        # Items of another industry applied earlier stay for history but are no longer offered.
        model.objects.exclude(code__in=[item[0] for item in preset[key]]).update(is_active=False)
    profile = SiteProfile.current()
    profile.industry = code
    profile.organisation_name = profile.organisation_name or preset["demo"]["organisation"]
    profile.save()
    audit_record(event=AuditEvent.PRESET_APPLIED, actor=actor, detail={"industry": code})
    return preset
