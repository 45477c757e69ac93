"""Database triggers that keep the audit log append-only, whoever connects."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    """,
]
# PostgreSQL refuses DELETE too (TRUNCATE, used by the test runner's flush, fires no row trigger).
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER core_auditentry_no_change BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
    """,
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditentry_no_update;"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
        "DROP FUNCTION IF EXISTS core_auditentry_append_only();",
    ],
}


def create_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
