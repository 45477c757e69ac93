"""Anomaly kinds and finding outcomes become data of the industry preset (issue 14): the visit's two
tobacco flags (unlicensed trading, price violation) become codes of anomaly kinds, the finding's fixed
outcomes rows of FindingOutcome. Existing records keep their meaning: the kinds and outcomes they used
are created (with the tobacco preset's codes and words) when a record needs them."""

import django.db.models.deletion
from django.db import migrations, models

# Old flag / finding kind → the tobacco preset's anomaly kind.
KINDS = {
    "unlicensed_trading": ("tobacco-unlicensed-trading", "无证经营", "Unlicensed trading"),
    "price_violation": ("tobacco-price-violation", "价格违规", "Price violation"),
}
# Old outcome value → the preset's finding outcome (code, name, English name, needs a note).
OUTCOMES = {
    "downgrade_request": ("downgrade-request", "申请下调客户等级", "Grade downgrade requested", True),
    "warning": ("warning", "已提醒客户整改", "Client warned", False),
    "referred": ("referred", "已移交主管部门", "Referred to the authority", False),
    "no_action": ("no-action", "无需处理", "No action needed", False),
}


def forward(apps, schema_editor):
    Visit = apps.get_model("visits", "Visit")
    VisitFinding = apps.get_model("visits", "VisitFinding")
    AnomalyKind = apps.get_model("visits", "AnomalyKind")
    FindingOutcome = apps.get_model("visits", "FindingOutcome")
    kinds = {}

    def kind(old):
        if old not in kinds:
            code, name, name_en = KINDS[old]
            kinds[old] = AnomalyKind.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "order": len(kinds) + 1}
            )[0]
        return kinds[old]

    for visit in Visit.objects.filter(models.Q(unlicensed_trading=True) | models.Q(price_violation=True)):
        codes = [kind(old).code for old in KINDS if getattr(visit, old)]
        Visit.objects.filter(pk=visit.pk).update(anomalies=codes)
    for old in KINDS:
        if VisitFinding.objects.filter(kind=old).exists():
            found = kind(old)
            VisitFinding.objects.filter(kind=old).update(kind=found.code, anomaly=found)
    for order, (old, (code, name, name_en, needs_note)) in enumerate(OUTCOMES.items(), start=1):
        if VisitFinding.objects.filter(outcome=old).exists():
            outcome = FindingOutcome.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "needs_note": needs_note, "order": order}
            )[0]
            VisitFinding.objects.filter(outcome=old).update(outcome_item=outcome)


def backward(apps, schema_editor):
    Visit = apps.get_model("visits", "Visit")
    VisitFinding = apps.get_model("visits", "VisitFinding")
    codes = {code: old for old, (code, _name, _en) in KINDS.items()}
    for visit in Visit.objects.exclude(anomalies=[]):
        seen = {codes[code] for code in visit.anomalies if code in codes}
        Visit.objects.filter(pk=visit.pk).update(
            unlicensed_trading="unlicensed_trading" in seen, price_violation="price_violation" in seen
        )
    for code, old in codes.items():
        VisitFinding.objects.filter(kind=code).update(kind=old)
    outcomes = {code: old for old, (code, *_rest) in OUTCOMES.items()}
    for finding in VisitFinding.objects.filter(outcome_item__isnull=False).select_related("outcome_item"):
        old = outcomes.get(finding.outcome_item.code, "no_action")
        VisitFinding.objects.filter(pk=finding.pk).update(outcome=old)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0004_norms_by_preset_tier_and_grade"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnomalyKind",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "anomaly kind",
                "verbose_name_plural": "anomaly kinds",
                "ordering": ["order", "code"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="FindingOutcome",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "needs_note",
                    models.BooleanField(
                        default=False,
                        help_text="The supervisor must say more (e.g. the grade to move to).",
                        verbose_name="needs a note",
                    ),
                ),
            ],
            options={
                "verbose_name": "finding outcome",
                "verbose_name_plural": "finding outcomes",
                "ordering": ["order", "code"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="visit",
            name="anomalies",
            field=models.JSONField(blank=True, default=list, verbose_name="anomalies seen"),
        ),
        migrations.AlterField(
            model_name="visitfinding",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="kind"),
        ),
        migrations.AddField(
            model_name="visitfinding",
            name="anomaly",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="visits.anomalykind",
                verbose_name="anomaly kind",
            ),
        ),
        migrations.AddField(
            model_name="visitfinding",
            name="outcome_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="visits.findingoutcome",
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="visit", name="price_violation"),
        migrations.RemoveField(model_name="visit", name="unlicensed_trading"),
        migrations.RemoveField(model_name="visitfinding", name="outcome"),
        migrations.RenameField(model_name="visitfinding", old_name="outcome_item", new_name="outcome"),
    ]
