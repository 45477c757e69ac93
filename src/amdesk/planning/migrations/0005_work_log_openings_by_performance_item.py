"""The daily log's new clients are counted per performance item (the industry's one catalogue of what
an AM sells, also the performance sheet's rows) instead of per product line (issue 14).

Existing counts keep their meaning: a product line moves to the registered item of the same code, or
of the same name; a line without one gets an item of its own, inactive (kept for the figures, no
longer offered), so no count is lost and the "new clients in the logs" indicator sums the same."""

import django.db.models.deletion
from django.db import migrations, models


def lines_to_items(apps, schema_editor):
    WorkLogOpening = apps.get_model("planning", "WorkLogOpening")
    PerformanceItem = apps.get_model("planning", "PerformanceItem")
    ProductLine = apps.get_model("clients", "ProductLine")
    used = set(WorkLogOpening.objects.values_list("line_id", flat=True).distinct())
    registered = PerformanceItem.objects.filter(source="")
    by_code = {item.code: item for item in registered}
    by_name = {item.name: item for item in registered}
    taken = set(PerformanceItem.objects.values_list("code", flat=True))
    for line in ProductLine.objects.filter(pk__in=used):
        item = by_code.get(line.code) or by_name.get(line.name)
        if item is None:
            code = line.code if line.code not in taken else f"line-{line.code}"[:40]
            item = PerformanceItem.objects.create(
                code=code,
                name=line.name,
                name_en=line.name_en,
                unit="户",
                unit_en="clients",
                source="",
                order=900 + line.order,
                is_active=False,
            )
            taken.add(code)
        WorkLogOpening.objects.filter(line_id=line.pk).update(item=item)


def items_to_lines(apps, schema_editor):
    WorkLogOpening = apps.get_model("planning", "WorkLogOpening")
    ProductLine = apps.get_model("clients", "ProductLine")
    lines = {line.code: line for line in ProductLine.objects.all()}
    for opening in WorkLogOpening.objects.select_related("item"):
        code = opening.item.code.removeprefix("line-")
        line = (
            lines.get(code)
            or ProductLine.objects.get_or_create(
                code=code[:40], defaults={"name": opening.item.name, "is_active": False}
            )[0]
        )
        lines[code] = line
        WorkLogOpening.objects.filter(pk=opening.pk).update(line=line)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0004_indicator_sources_and_summary_figures"),
        ("clients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="worklogopening",
            name="item",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="planning.performanceitem",
                verbose_name="product",
            ),
        ),
        migrations.AlterField(
            model_name="worklogopening",
            name="line",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.productline",
                verbose_name="product line",
            ),
        ),
        migrations.RunPython(lines_to_items, items_to_lines),
        migrations.RemoveConstraint(model_name="worklogopening", name="work_log_opening_one_per_line"),
        migrations.RemoveField(model_name="worklogopening", name="line"),
        migrations.AlterField(
            model_name="worklogopening",
            name="item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="planning.performanceitem",
                verbose_name="product",
            ),
        ),
        migrations.AlterModelOptions(
            name="worklogopening",
            options={
                "ordering": ["item__order", "item_id"],
                "verbose_name": "new clients by product",
                "verbose_name_plural": "new clients by product",
            },
        ),
        migrations.AddConstraint(
            model_name="worklogopening",
            constraint=models.UniqueConstraint(fields=("log", "item"), name="work_log_opening_one_per_item"),
        ),
    ]
