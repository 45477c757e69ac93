from django.db import migrations, models

# Roles of the presets that read but do not change client records (ADR 0005). Every other existing
# role keeps what it could do before write scopes existed: it writes what it reads.
READ_ONLY = ("product_manager", "risk_manager", "lending_officer", "service_desk", "appraisal_admin")


def seed_write_scopes(apps, schema_editor):
    Role = apps.get_model("orgs", "Role")
    for role in Role.objects.all():
        if role.superuser:
            role.write_scope = "all"
        elif role.code in READ_ONLY:
            role.write_scope = "none"
        else:
            role.write_scope = role.scope
        role.save(update_fields=["write_scope"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_org_level_branch"),
    ]

    operations = [
        migrations.AddField(
            model_name="role",
            name="write_scope",
            field=models.CharField(
                choices=[
                    ("none", "No records (read only)"),
                    ("own", "Own records"),
                    ("subtree", "Records under the nodes one heads"),
                    ("all", "All records"),
                ],
                default="none",
                help_text=(
                    "Which client records (the archive, contacts, holdings, AUM, ratings, visits, reviews) "
                    "the role may change; never wider than its data scope."
                ),
                max_length=16,
                verbose_name="write scope",
            ),
        ),
        migrations.RunPython(seed_write_scopes, migrations.RunPython.noop),
    ]
