"""Search keys in byte order on PostgreSQL, so pinyin prefix ranges use the index (see orgs.0002)."""

from django.db import migrations


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE clients_clientsearchkey ALTER COLUMN "key" TYPE varchar(64) COLLATE "C";')


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE clients_clientsearchkey ALTER COLUMN "key" TYPE varchar(64) COLLATE "default";'
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_client_archive")]
    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
