"""The branch level of the reports is now the org levels' (OrgLevel.reports_as_branch), shared by the
service KPIs and the satisfaction index: a depth other than the default set here moves there."""

from django.db import migrations


def move_depth(apps, schema_editor):
    SurveySettings = apps.get_model("surveys", "SurveySettings")
    OrgLevel = apps.get_model("orgs", "OrgLevel")
    depth = SurveySettings.objects.filter(pk=1).values_list("branch_depth", flat=True).first()
    if depth is None or depth == 1 or OrgLevel.objects.filter(reports_as_branch=True).exists():
        return
    level, _created = OrgLevel.objects.get_or_create(depth=depth, defaults={"name": f"L{depth}"})
    level.reports_as_branch = True
    level.save(update_fields=["reports_as_branch"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_settings_defaults_and_publishing"),
        ("orgs", "0004_org_level_branch"),
    ]

    operations = [
        migrations.RunPython(move_depth, migrations.RunPython.noop),
        migrations.RemoveField(model_name="surveysettings", name="branch_depth"),
    ]
