import tomllib
from importlib import resources

from django.db import migrations, models


def seed_desk_cards(apps, schema_editor):
    """Roles created by an earlier preset get their desk cards from the common preset."""
    Role = apps.get_model("orgs", "Role")
    common = tomllib.loads(
        resources.files("amdesk.presets").joinpath("common.toml").read_text(encoding="utf-8")
    )
    for role in common["roles"]:
        Role.objects.filter(code=role["code"]).update(desk_cards=role.get("desk", []))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0005_role_write_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="role",
            name="desk_cards",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Codes of the desk cards this role's holders see, e.g. my_visits, team_plans.",
                verbose_name="desk cards",
            ),
        ),
        migrations.RunPython(seed_desk_cards, migrations.RunPython.noop),
    ]
