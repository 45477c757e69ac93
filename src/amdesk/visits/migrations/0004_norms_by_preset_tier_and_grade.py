"""Visit norms name a preset tier and grade (clients 0010) instead of the old fixed values."""

import django.db.models.deletion
from django.db import migrations, models


def map_norms(apps, schema_editor):
    VisitNorm = apps.get_model("visits", "VisitNorm")
    ClientTier = apps.get_model("clients", "ClientTier")
    ClientGrade = apps.get_model("clients", "ClientGrade")
    for tier in ClientTier.objects.filter(code__in=["key", "ordinary"]):
        VisitNorm.objects.filter(tier=tier.code).update(tier_ref=tier)
    for grade in ClientGrade.objects.filter(code__in=[str(n) for n in range(1, 6)]):
        VisitNorm.objects.filter(grade=grade.rank).update(grade_ref=grade)


def unmap_norms(apps, schema_editor):
    VisitNorm = apps.get_model("visits", "VisitNorm")
    for norm in VisitNorm.objects.select_related("tier_ref", "grade_ref"):
        norm.tier = norm.tier_ref.code if norm.tier_ref and norm.tier_ref.code in ("key", "ordinary") else ""
        norm.grade = norm.grade_ref.rank if norm.grade_ref and 1 <= norm.grade_ref.rank <= 5 else None
        norm.save(update_fields=["tier", "grade"])


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0003_compliance_alert"),
        ("clients", "0010_client_tiers_and_grades"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitnorm",
            name="tier_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="clients.clienttier",
            ),
        ),
        migrations.AddField(
            model_name="visitnorm",
            name="grade_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="clients.clientgrade",
            ),
        ),
        migrations.RunPython(map_norms, unmap_norms),
        migrations.RemoveField(model_name="visitnorm", name="tier"),
        migrations.RemoveField(model_name="visitnorm", name="grade"),
        migrations.RenameField(model_name="visitnorm", old_name="tier_ref", new_name="tier"),
        migrations.RenameField(model_name="visitnorm", old_name="grade_ref", new_name="grade"),
        migrations.AlterField(
            model_name="visitnorm",
            name="tier",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: any tier.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="clients.clienttier",
                verbose_name="tier",
            ),
        ),
        migrations.AlterField(
            model_name="visitnorm",
            name="grade",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: any grade.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="clients.clientgrade",
                verbose_name="grade",
            ),
        ),
    ]
