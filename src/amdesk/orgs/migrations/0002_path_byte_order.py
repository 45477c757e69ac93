"""Keep OrgNode.path in byte order on PostgreSQL.

A subtree is the range [path, upper) on the indexed path column. SQLite compares text bytewise
already; PostgreSQL compares with the database's collation, where "/" may sort unlike bytes, so
the column uses the "C" collation there (its unique index is rebuilt with it).
"""

from django.db import migrations


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE orgs_orgnode ALTER COLUMN path TYPE varchar(255) COLLATE "C";')


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE orgs_orgnode ALTER COLUMN path TYPE varchar(255) COLLATE "default";')


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
