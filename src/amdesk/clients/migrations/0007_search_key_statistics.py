"""PostgreSQL: a larger statistics sample for the search keys.

With the default sample the planner estimates one row for a pinyin prefix such as "p:zhang"
that matches thousands of keys, and joins every match to its client before sorting; with 1000
it sees the real count and merges on client ids (bench/README.md: 140 ms → 40 ms at 1M clients).
"""

from django.db import migrations


def raise_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE clients_clientsearchkey ALTER COLUMN key SET STATISTICS 1000")


def reset_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE clients_clientsearchkey ALTER COLUMN key SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_name_index")]

    operations = [migrations.RunPython(raise_statistics, reset_statistics)]
