"""Client tiers and grades become preset data (ADR 0016); existing clients keep theirs.

The old fixed values (tier "key"/"ordinary", grade 1–5) are mapped onto rows of the bank preset,
created here with the codes `amdesk preset bank` upserts, so re-applying the preset later keeps
the same rows. Staged import rows are mapped too.
"""

import django.db.models.deletion
from django.db import migrations, models

import amdesk.clients.models.reference

# The bank preset's tiers and grades as this migration knows them (presets/bank.toml may change later).
TIERS = [
    # code, name, English name, order, is key, colour, aliases
    ("key", "重点客户", "Key", 1, True, "danger", "重点,是,Y"),
    ("ordinary", "一般客户", "Ordinary", 2, False, "secondary", "一般,普通,普通客户,否,N"),
]
NUMERALS = "一二三四五"
ROMAN = "ⅠⅡⅢⅣⅤ"


def seed_and_map(apps, schema_editor):
    ClientTier = apps.get_model("clients", "ClientTier")
    ClientGrade = apps.get_model("clients", "ClientGrade")
    Client = apps.get_model("clients", "Client")
    ImportRow = apps.get_model("clients", "ImportRow")
    tiers = {}
    for code, name, name_en, order, is_key, colour, aliases in TIERS:
        tiers[code], _ = ClientTier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "order": order,
                "is_key": is_key,
                "colour": colour,
                "aliases": aliases,
            },
        )
    grades = {}
    for n in range(1, 6):
        grades[n], _ = ClientGrade.objects.get_or_create(
            code=str(n),
            defaults={
                "name": f"{NUMERALS[n - 1]}级",
                "name_en": f"Grade {n}",
                "order": n,
                "rank": n,
                "colour": "secondary",
                "aliases": f"{n},{n}级,{ROMAN[n - 1]}级",
            },
        )
    # One UPDATE per value: set-based, whatever the archive's size.
    for code, tier in tiers.items():
        Client.objects.filter(tier=code).update(tier_ref=tier)
        ImportRow.objects.filter(tier=code).update(tier_id=tier.pk)
    Client.objects.filter(tier_ref__isnull=True).update(tier_ref=tiers["ordinary"])
    for n, grade in grades.items():
        Client.objects.filter(grade=n).update(grade_ref=grade)
        ImportRow.objects.filter(grade=n).update(grade_id=grade.pk)


def free_old_grade_names(apps, schema_editor):
    """PostgreSQL only: the VIP level table was the old ClientGrade (renamed in 0004) and kept the
    names of its indexes and constraints (clients_clientgrade_…). The new ClientGrade table would
    create an index of the same name (`…_code_…_like`): give the old ones the table's own name first."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("clients", "VipLevel")._meta.db_table
    old, new = "clients_clientgrade", table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
            [table, old + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(
                f'ALTER TABLE "{table}" RENAME CONSTRAINT "{name}" TO "{new + name[len(old):]}"'
            )
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s", [table, old + "%"]
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{new + name[len(old):]}"')


def unmap(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    for client in Client.objects.select_related("tier_ref", "grade_ref").iterator():
        client.tier = "key" if client.tier_ref and client.tier_ref.is_key else "ordinary"
        client.grade = client.grade_ref.rank if client.grade_ref and 1 <= client.grade_ref.rank <= 5 else None
        client.save(update_fields=["tier", "grade"])


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL the rows the mapping updates leave deferred foreign-key
    # checks pending, and the ALTER TABLEs after it would refuse to run ("pending trigger events").
    # The mapping is a transaction of its own (atomic=True), so it is all or nothing.
    atomic = False
    dependencies = [
        ("clients", "0009_imports"),
    ]

    operations = [
        migrations.RunPython(free_old_grade_names, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ClientTier",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "colour",
                    models.CharField(
                        choices=[
                            ("danger", "Red"),
                            ("warning", "Orange"),
                            ("primary", "Blue"),
                            ("success", "Green"),
                            ("info", "Cyan"),
                            ("secondary", "Grey"),
                            ("dark", "Dark"),
                        ],
                        default="secondary",
                        max_length=12,
                        verbose_name="colour",
                    ),
                ),
                (
                    "aliases",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Comma-separated words an imported sheet may use for it besides its name and code."  # noqa: E501
                        ),
                        max_length=200,
                        verbose_name="other words in files",
                    ),
                ),
                (
                    "is_key",
                    models.BooleanField(
                        default=False,
                        help_text="Clients of this tier are visited first and counted as key clients.",
                        verbose_name="key clients",
                    ),
                ),
            ],
            options={
                "verbose_name": "client tier",
                "verbose_name_plural": "client tiers",
                "ordering": ["order", "code"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="ClientGrade",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "colour",
                    models.CharField(
                        choices=[
                            ("danger", "Red"),
                            ("warning", "Orange"),
                            ("primary", "Blue"),
                            ("success", "Green"),
                            ("info", "Cyan"),
                            ("secondary", "Grey"),
                            ("dark", "Dark"),
                        ],
                        default="secondary",
                        max_length=12,
                        verbose_name="colour",
                    ),
                ),
                (
                    "aliases",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Comma-separated words an imported sheet may use for it besides its name and code."  # noqa: E501
                        ),
                        max_length=200,
                        verbose_name="other words in files",
                    ),
                ),
                (
                    "rank",
                    models.PositiveSmallIntegerField(
                        help_text="Higher is better; rules such as “grade 3 and above” compare ranks.",
                        verbose_name="rank",
                    ),
                ),
            ],
            options={
                "verbose_name": "client grade",
                "verbose_name_plural": "client grades",
                "ordering": ["order", "code"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="client",
            name="tier_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.clienttier",
            ),
        ),
        migrations.AddField(
            model_name="client",
            name="grade_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.clientgrade",
            ),
        ),
        migrations.AddField(model_name="importrow", name="tier_id", field=models.BigIntegerField(null=True)),
        migrations.AddField(model_name="importrow", name="grade_id", field=models.BigIntegerField(null=True)),
        migrations.RunPython(seed_and_map, unmap, atomic=True),
        migrations.RemoveConstraint(model_name="client", name="client_grade_1_to_5"),
        migrations.RemoveField(model_name="client", name="tier"),
        migrations.RemoveField(model_name="client", name="grade"),
        migrations.RemoveField(model_name="importrow", name="tier"),
        migrations.RemoveField(model_name="importrow", name="grade"),
        migrations.RenameField(model_name="client", old_name="tier_ref", new_name="tier"),
        migrations.RenameField(model_name="client", old_name="grade_ref", new_name="grade"),
        migrations.AlterField(
            model_name="client",
            name="tier",
            field=models.ForeignKey(
                default=amdesk.clients.models.reference.default_tier,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.clienttier",
                verbose_name="tier",
            ),
        ),
        migrations.AlterField(
            model_name="client",
            name="grade",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.clientgrade",
                verbose_name="grade",
            ),
        ),
    ]
