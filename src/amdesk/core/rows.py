"""Writing many generated or imported rows: COPY on PostgreSQL, executemany on SQLite, bulk_create elsewhere.

The demo generates plain tuples, never model instances: building a million instances (and
their search keys and holdings) costs more than inserting them. The fast writers send the
tuples straight to the driver inside the demo's one transaction; the ORM writer turns them
into instances and uses `bulk_create`, for other databases and as the reference the tests
compare the fast path with. Both write the same rows, so the same seed gives the same data.

Clients get their ids from the demo (a range reserved after the highest id in use) so their
holdings, keys and contacts can point at them without reading ids back; the sequence is
moved past them at the end. Columns a table has but the generator leaves out are filled
with the field's default, so a field added later with a default needs no change here.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from django.core.management.color import no_style
from django.db import connections, models
from django.db.models import Max

from amdesk.core import load_schema

ORM_BATCH = 2000
SQLITE_BATCH = 20_000
# Fields whose Python values the drivers cannot take as they are (aware datetimes on SQLite, JSON).
_NEEDS_PREP = (models.DateTimeField, models.JSONField)


class RowWriter:
    def __init__(self, *, fast: bool | None = None, using: str = "default"):
        self.connection = connections[using]
        vendor = self.connection.vendor
        fast_vendor = vendor in ("sqlite", "postgresql")
        self.mode = vendor if fast_vendor and fast is not False else "orm"
        self._tables: dict[tuple, tuple] = {}
        self.written: set[str] = set()  # tables, for `analyze`

    @property
    def is_fast(self) -> bool:
        return self.mode != "orm"

    def prepare(self) -> None:
        """Connection settings for a bulk load (this connection only, gone when it closes)."""
        if self.mode == "sqlite":
            with self.connection.cursor() as cursor:
                # Page cache for the B-trees the inserts touch at random (the search key index):
                # with SQLite's 2 MB default, a million clients spend most of their time in I/O.
                cursor.execute("PRAGMA cache_size = -524288")  # KiB: 512 MB

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """The first of `count` unused ids of `model` (call `finish` with the model afterwards)."""
        first = (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
        if self.connection.vendor == "postgresql" and count:
            # Move the sequence past the range now, so no other insert takes one of these ids.
            table, column = model._meta.db_table, model._meta.pk.column
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(seq, GREATEST(%s, nextval(seq)))"
                    " FROM pg_get_serial_sequence(%s, %s) AS seq",
                    [first + count - 1, table, column],
                )
        return first

    def finish(self, *model_list: type[models.Model]) -> None:
        """Move the id sequences past the ids the demo set itself (PostgreSQL; SQLite tracks them)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(model_list))
        if statements:
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    @contextmanager
    def bulk_load(self, *model_list: type[models.Model]) -> Iterator[None]:
        """Load these tables with their secondary indexes and constraints set aside (load_schema.py)."""
        if not self.is_fast:
            yield
            return
        restore = load_schema.suspend(self.connection, [model._meta.db_table for model in model_list])
        yield
        load_schema.restore(self.connection, restore)

    def analyze(self) -> None:
        """Planner statistics for the tables written: a freshly loaded table has none (or stale ones)."""
        vendor = self.connection.vendor
        if vendor not in ("sqlite", "postgresql") or not self.written:
            return
        with self.connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 1000")  # sample, don't read every index whole
            for table in sorted(self.written):
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(table)}")

    def vacuum(self) -> None:
        """After the commit, on PostgreSQL: VACUUM marks the new pages all-visible, so searches can
        answer from the search key index alone (index-only scans) before autovacuum comes round."""
        if self.connection.vendor != "postgresql" or self.connection.in_atomic_block or not self.written:
            return
        tables = ", ".join(self.connection.ops.quote_name(table) for table in sorted(self.written))
        with self.connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")

    def write(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert `rows` (tuples of the attribute names in `fields`); returns how many."""
        self.written.add(model._meta.db_table)
        if self.mode == "orm":
            return self._write_orm(model, fields, rows)
        columns, prep, tail = self._table(model, tuple(fields))
        if prep or tail:
            rows = (self._adapted(row, prep, tail) for row in rows)
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(column) for column in columns)
        if self.mode == "postgresql":
            return self._copy(table, names, rows)
        return self._executemany(table, names, len(columns), rows)

    # -- the writers

    def _write_orm(self, model, fields, rows) -> int:
        instances = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model.objects.bulk_create(instances, batch_size=ORM_BATCH)
        return len(instances)

    def _copy(self, table: str, names: str, rows: Iterable[tuple]) -> int:
        count = 0
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _executemany(self, table: str, names: str, width: int, rows: Iterable[tuple]) -> int:
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * width)})"  # noqa: S608 (names from models)
        self.connection.ensure_connection()
        raw = self.connection.connection  # inside the demo's transaction, opened by `atomic`
        count = 0
        rows = iter(rows)
        while batch := list(islice(rows, SQLITE_BATCH)):
            raw.executemany(sql, batch)
            count += len(batch)
        return count

    # -- columns, defaults and value preparation

    def _table(self, model, fields: tuple[str, ...]):
        key = (model, fields)
        if key not in self._tables:
            given = [model._meta.get_field(name) for name in fields]
            given_names = {field.attname for field in given}
            missing = [
                field
                for field in model._meta.concrete_fields
                if field.attname not in given_names and not field.primary_key
            ]
            prep = tuple(
                (index, self._preparer(field))
                for index, field in enumerate(given)
                if isinstance(field, _NEEDS_PREP)
            )
            self._tables[key] = ([f.column for f in given + missing], prep, missing)
        columns, prep, missing = self._tables[key]
        # Defaults are evaluated per call: `timezone.now` is "now" of this batch, not of the first.
        tail = tuple(field.get_db_prep_save(field.get_default(), self.connection) for field in missing)
        return columns, prep, tail

    def _preparer(self, field):
        connection = self.connection
        if not isinstance(field, models.DateTimeField):
            return lambda value: field.get_db_prep_save(value, connection)
        # A batch stamps all its rows with the same `now`: prepare it once, not once per row.
        last = [object(), None]

        def prepared(value):
            if value is not last[0]:
                last[:] = value, field.get_db_prep_save(value, connection)
            return last[1]

        return prepared

    def _adapted(self, row: tuple, prep, tail: tuple) -> tuple:
        if prep:
            row = list(row)
            for index, prepare in prep:
                row[index] = prepare(row[index])
        return (*row, *tail)
