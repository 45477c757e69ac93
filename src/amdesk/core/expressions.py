"""Small SQL expressions Django lacks, written for both PostgreSQL and SQLite."""

from django.db import models
from django.db.models import Func


class AddDays(Func):
    """date + n days, where n is an expression (a column, a subquery); NULL when either is NULL."""

    output_field = models.DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


class DaysBetween(Func):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    output_field = models.IntegerField()
    arity = 2

    def _compiled(self, compiler) -> tuple[tuple[str, list], tuple[str, list]]:
        first, second = (compiler.compile(expression) for expression in self.get_source_expressions())
        return first, second

    def as_sql(self, compiler, connection, **extra_context):
        # date - date is an integer number of days in PostgreSQL.
        (first, first_params), (second, second_params) = self._compiled(compiler)
        return f"(({second}) - ({first}))", [*second_params, *first_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        (first, first_params), (second, second_params) = self._compiled(compiler)
        sql = f"CAST(julianday({second}) - julianday({first}) AS INTEGER)"
        return sql, [*second_params, *first_params]
