"""Indexes and constraints set aside while a bulk load (the demo) fills its tables, and put back afterwards.

Maintaining a B-tree row by row while millions of rows arrive in no particular order of its
key costs far more than building it once from the finished table (a sort), and PostgreSQL
checks each (deferred) foreign key with a trigger per row at commit, tens of millions of them
for a million clients, queued in memory. So the bulk load drops what the database can rebuild
and re-creates it from the catalogue's own definitions, in the same transaction: if anything
fails, the rollback restores the schema with the data. A constraint added back is checked over
the whole table at once (a unique index build, a foreign-key join), so nothing goes unchecked.

Primary keys stay (the rows' ids are given); on SQLite, UNIQUE constraints declared in the table
itself stay too (SQLite cannot drop them), as do its foreign keys (checked per row, cheaply).
"""

from collections.abc import Sequence


def suspend(connection, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes and constraints of `tables`; returns the SQL that restores them."""
    if not tables:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _suspend_postgresql(cursor, connection.ops.quote_name, list(tables))
        if connection.vendor == "sqlite":
            return _suspend_sqlite(cursor, connection.ops.quote_name, list(tables))
    return []


def restore(connection, statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Memory for the index sorts, for this transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are all deferrable


def _suspend_postgresql(cursor, quote, tables: list[str]) -> list[str]:
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
        " WHERE contype IN ('f', 'u') AND conrelid = ANY(%s::regclass[])"
        " ORDER BY contype = 'f' DESC, 1, 2",
        [tables],
    )
    constraints = cursor.fetchall()  # foreign keys first: they go before what they might rest on
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        "   WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid)"
        " ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    # A table whose checks are still pending (the org tree written a moment ago) cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, _definition, _kind in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition, _kind in reversed(constraints)
    ]


def _suspend_sqlite(cursor, quote, tables: list[str]) -> list[str]:
    marks = ", ".join("%s" for _ in tables)
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
        f" AND tbl_name IN ({marks}) ORDER BY name",
        tables,
    )
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    return [sql for _name, sql in indexes]
