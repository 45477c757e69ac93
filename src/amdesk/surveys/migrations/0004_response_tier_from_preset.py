"""A response's tier snapshot names a preset tier (clients 0010) instead of the old fixed value."""

import django.db.models.deletion
from django.db import migrations, models


def map_tiers(apps, schema_editor):
    SurveyResponse = apps.get_model("surveys", "SurveyResponse")
    ClientTier = apps.get_model("clients", "ClientTier")
    for tier in ClientTier.objects.filter(code__in=["key", "ordinary"]):
        SurveyResponse.objects.filter(client_tier=tier.code).update(client_tier_ref=tier)


def unmap_tiers(apps, schema_editor):
    SurveyResponse = apps.get_model("surveys", "SurveyResponse")
    for response in SurveyResponse.objects.select_related("client_tier_ref"):
        tier = response.client_tier_ref
        response.client_tier = "key" if tier and tier.is_key else "ordinary"
        response.save(update_fields=["client_tier"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_branch_level_shared"),
        ("clients", "0010_client_tiers_and_grades"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyresponse",
            name="client_tier_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="clients.clienttier",
            ),
        ),
        migrations.RunPython(map_tiers, unmap_tiers),
        migrations.RemoveField(model_name="surveyresponse", name="client_tier"),
        migrations.RenameField(
            model_name="surveyresponse", old_name="client_tier_ref", new_name="client_tier"
        ),
        migrations.AlterField(
            model_name="surveyresponse",
            name="client_tier",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="clients.clienttier",
                verbose_name="tier",
            ),
        ),
    ]
