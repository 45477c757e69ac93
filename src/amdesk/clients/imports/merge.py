"""The checks that need other rows or the archive, and the merge: set-based, on the staged rows.

Every statement here works on all the rows of a job at once (an UPDATE with a correlated
subquery on an index, an INSERT … SELECT), so a million-row import costs a few dozen statements,
not a million. The SQL is the common part of PostgreSQL and SQLite (≥ 3.33 for UPDATE … FROM);
where they differ (new ids, JSON arrays) both forms are here.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

from amdesk.clients.models import (
    Client,
    ClientChange,
    ClientOwnership,
    ClientSearchKey,
    ImportJob,
    ImportProblem,
    ImportRow,
)
from amdesk.clients.search import keys_for
from amdesk.core.masking import MASK_CHAR
from amdesk.orgs.access import client_q, may_hand_over, read_only_message, scope_of
from amdesk.orgs.models import Role

from .checker import AM_ROLE

BATCH = 5000
ANALYZE_FROM = 10_000  # created clients after which the archive's statistics are refreshed
# Client fields an import may set: (field name, its staged column). owner also moves org_node.
MERGED = (
    "name",
    "kind",
    "id_number",
    "credit_code",
    "mobile",
    "gender",
    "birth_date",
    "birthday_kind",
    "address",
    "occupation",
    "industry",
    "size",
    "legal_representative",
    "owner",
    "lifecycle",
    "tier",
    "grade",
    "vip_level",
    "onboarded_on",
    "source",
    "remarks",
)
REKEY_FIELDS = ("name", "mobile", "id_number", "credit_code")
PERSONAL = {"id_number": 18, "mobile": 11}  # masked in the change history, at their fixed lengths


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(field: str) -> str:
    return Client._meta.get_field(field).column


ROW, CLIENT = _q(ImportRow._meta.db_table), _q(Client._meta.db_table)


def _with_id(**lookup):
    # The unique indexes on ID number and credit code are partial (WHERE NOT … = ''): a lookup
    # must state that condition itself, or the planner cannot use them (and scans the clients).
    return Client.objects.filter(~Q(id_number=""), **lookup)


def _with_code(**lookup):
    return Client.objects.filter(~Q(credit_code=""), **lookup)


def _rows(job: ImportJob):
    return ImportRow.objects.filter(job=job)


def _pending(job: ImportJob):
    return ImportRow.objects.filter(job=job, action="")


def reject(job: ImportJob, rows, column: str, message: Callable[[tuple], str] | str, *extra: str) -> int:
    """Record a problem for each of `rows` (a queryset of staged rows) and mark them rejected."""
    count = 0
    batch = []
    for values in rows.values_list("row_no", *extra).iterator(chunk_size=BATCH):
        text = message if isinstance(message, str) else message(values)
        batch.append(ImportProblem(job=job, row_no=values[0], column=column, message=text[:300]))
        if len(batch) >= BATCH:
            ImportProblem.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        ImportProblem.objects.bulk_create(batch)
        count += len(batch)
    if count:
        rows.update(action="reject")
    return count


def check_in_file(job: ImportJob, headers: dict[str, str]) -> None:
    """Rows that name a client an earlier row of the file already named."""
    first = (
        ImportRow.objects.filter(job=job, match_key=OuterRef("match_key"))
        .order_by("row_no")
        .values("row_no")[:1]
    )
    duplicates = (
        _pending(job)
        .filter(match_key__isnull=False)
        .annotate(first=Subquery(first))
        .exclude(first=F("row_no"))
    )

    def same_as(values) -> str:
        row_no, first_row, key = values
        if key.startswith("d:"):
            return _("The same ID number as row %(row)d.") % {"row": first_row}
        if key.startswith("c:"):
            return _("The same credit code as row %(row)d.") % {"row": first_row}
        return _("The same name and mobile as row %(row)d.") % {"row": first_row}

    reject(job, duplicates, "", same_as, "first", "match_key")
    first_code = (
        ImportRow.objects.filter(job=job, credit_code=OuterRef("credit_code"))
        .order_by("row_no")
        .values("row_no")[:1]
    )
    reject(
        job,
        _pending(job)
        .filter(credit_code__isnull=False)
        .annotate(first=Subquery(first_code))
        .exclude(first=F("row_no")),
        headers.get("credit_code", ""),
        lambda values: _("The same credit code as row %(row)d.") % {"row": values[1]},
        "first",
    )


def check_against_archive(job: ImportJob, actor, headers: dict[str, str]) -> None:
    """Find each row's client; reject what the importer may not change; classify the rest."""
    pending = _pending(job)
    pending.exclude(client_id=None).update(client_id=None)
    # An export's client number first: the exported list's identifiers are masked.
    by_number = pending.filter(match_key__startswith="n:")
    number = Cast(Substr(OuterRef("match_key"), 3), BigIntegerField())
    # order_by(): the client's default order (-id) would let the planner walk the primary key
    # backwards looking for the value instead of using the value's own index.
    by_number.update(client_id=Subquery(Client.objects.filter(pk=number).order_by().values("pk")[:1]))
    reject(
        job,
        by_number.filter(client_id__isnull=True),
        headers.get("client_no", ""),
        lambda values: _("There is no client number %(number)s.") % {"number": values[1][2:]},
        "match_key",
    )
    reject(
        job,
        by_number.filter(client_id__isnull=False, id_number__isnull=False).filter(
            Exists(_with_id(id_number=OuterRef("id_number")).exclude(pk=OuterRef("client_id")))
        ),
        headers.get("id_number", ""),
        _("Another client already has this ID number."),
    )
    by_id = _with_id(id_number=OuterRef("id_number")).order_by().values("pk")[:1]
    pending.filter(id_number__isnull=False).exclude(match_key__startswith="n:").update(
        client_id=Subquery(by_id)
    )
    by_code = _with_code(credit_code=OuterRef("credit_code")).order_by().values("pk")[:1]
    pending.filter(match_key__startswith="c:").update(client_id=Subquery(by_code))
    same_person = Client.objects.filter(name=OuterRef("name"), mobile=OuterRef("mobile"))
    by_name = pending.filter(match_key__startswith="m:")
    by_name.update(client_id=Subquery(same_person.order_by().values("pk")[:1]))
    ambiguous = same_person.order_by().values("mobile").annotate(n=Count("pk")).values("n")
    reject(
        job,
        by_name.filter(client_id__isnull=False).annotate(n=Subquery(ambiguous)).filter(n__gt=1),
        "",
        _("Several clients have this name and mobile: give the ID number or credit code."),
    )
    if scope_of(actor).write_kind != Role.Scope.ALL:
        # A client the importer sees but may not change (a read-only role, another team's client).
        reject(
            job,
            pending.filter(client_id__isnull=False)
            .filter(Exists(Client.objects.filter(client_q(actor), pk=OuterRef("client_id"))))
            .exclude(
                Exists(Client.objects.filter(client_q(actor, for_write=True), pk=OuterRef("client_id")))
            ),
            "",
            read_only_message(actor),
        )
        reject(
            job,
            pending.filter(client_id__isnull=False).exclude(
                Exists(Client.objects.filter(client_q(actor), pk=OuterRef("client_id")))
            ),
            "",
            _(
                "This client is already in the archive, kept outside your part of the organisation. Ask "
                "a supervisor to hand the client over."
            ),
        )
    reject(
        job,
        pending.filter(client_id__isnull=True, credit_code__isnull=False).filter(
            Exists(_with_code(credit_code=OuterRef("credit_code")))
        ),
        headers.get("credit_code", ""),
        _("Another client already has this credit code."),
    )
    reject(
        job,
        pending.filter(client_id__isnull=False, credit_code__isnull=False).filter(
            Exists(_with_code(credit_code=OuterRef("credit_code")).exclude(pk=OuterRef("client_id")))
        ),
        headers.get("credit_code", ""),
        _("Another client already has this credit code."),
    )
    reject(
        job,
        pending.filter(client_id__isnull=True, name__isnull=True),
        headers.get("name", ""),
        _("A new client needs a name."),
    )
    _default_owner(job, actor, headers)
    if not may_hand_over(actor):
        current_owner = Client.objects.filter(pk=OuterRef("client_id")).order_by().values("owner_id")[:1]
        reject(
            job,
            pending.filter(client_id__isnull=False, owner_id__isnull=False)
            .annotate(current=Subquery(current_owner))
            .exclude(owner_id=F("current")),
            headers.get("owner", ""),
            _("Giving a client another account manager is a handover: ask your supervisor."),
        )
    pending.filter(client_id__isnull=True).update(action="create")
    _classify_matched(job)


def _default_owner(job: ImportJob, actor, headers: dict[str, str]) -> None:
    """New clients without an owner go to the importer if he is an account manager; else rejected."""
    orphans = _pending(job).filter(client_id__isnull=True, owner_id__isnull=True)
    if actor.status == actor.Status.ACTIVE and actor.roles.filter(code=AM_ROLE).exists():
        orphans.update(owner_id=actor.pk, org_node_id=actor.org_node_id)
        return
    reject(
        job,
        orphans,
        headers.get("owner", ""),
        _("Give the employee number of the account manager who keeps this new client."),
    )


def _changed(field: str, row: str = ROW, client: str = "c") -> str:
    staged = f"{row}.{_q(_staged_column(field))}"
    current = f"{client}.{_q(_column(field))}"
    return f"({staged} IS NOT NULL AND ({current} IS NULL OR {staged} <> {current}))"


def _staged_column(field: str) -> str:
    return {"owner": "owner_id", "vip_level": "vip_level_id", "tier": "tier_id", "grade": "grade_id"}.get(
        field, field
    )


def _classify_matched(job: ImportJob) -> None:
    any_change = " OR ".join(_changed(field) for field in MERGED)
    rekey = " OR ".join(_changed(field) for field in REKEY_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ROW} SET action = 'update', rekey = EXISTS ("  # noqa: S608 (names from models)
            f" SELECT 1 FROM {CLIENT} c WHERE c.id = {ROW}.client_id AND ({rekey}))"
            f" WHERE job_id = %s AND action = '' AND client_id IS NOT NULL AND EXISTS ("
            f" SELECT 1 FROM {CLIENT} c WHERE c.id = {ROW}.client_id AND ({any_change}))",
            [job.pk],
        )
    _pending(job).filter(client_id__isnull=False).update(action="same")


def analyze_staging() -> None:
    """Planner statistics for the rows just staged: without them PostgreSQL takes the staging
    table for nearly empty and plans the checks' correlated lookups as scans."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ROW}")


def drop_staged(job: ImportJob) -> None:
    """The job's staged rows go. On PostgreSQL, when no other job has rows staged, TRUNCATE: a
    DELETE of a million rows costs as much as a phase of the import. The lock keeps another
    import from staging rows between the look and the TRUNCATE; it ends with this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ROW} IN SHARE ROW EXCLUSIVE MODE")
            if not ImportRow.objects.exclude(job=job).exists():
                # Deferred foreign key checks of this transaction's rows would forbid TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {ROW}")
                return
    _rows(job).delete()


def analyze_archive(created: int) -> None:
    """After a large import, fresh statistics for the tables it filled (PostgreSQL): plans made
    for a table a tenth of its new size go wrong (a scan where an index lookup was due)."""
    if connection.vendor == "postgresql" and created >= ANALYZE_FROM:
        tables = ", ".join(_q(model._meta.db_table) for model in (Client, ClientSearchKey, ClientOwnership))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


def archive_mark() -> str:
    """A cheap summary that changes whenever a client is created, changed, handed over or deleted,
    or staff and org nodes come and go (all read from indexes)."""
    from django.db.models import Max

    from amdesk.orgs.models import OrgNode, Staff

    clients = Client.objects.aggregate(top=Max("pk"), changed=Max("updated_at"), n=Count("pk"))
    staff = Staff.objects.filter(status=Staff.Status.ACTIVE).aggregate(n=Count("pk"), top=Max("pk"))
    nodes = OrgNode.objects.aggregate(top=Max("pk"), n=Count("pk"))
    return "|".join(
        str(value)
        for value in (
            clients["top"],
            clients["changed"],
            clients["n"],
            staff["n"],
            staff["top"],
            nodes["n"],
            nodes["top"],
        )
    )[:120]


def counts(job: ImportJob) -> dict[str, int]:
    found = dict(_rows(job).order_by().values_list("action").annotate(n=Count("id")))
    return {action: found.get(action, 0) for action in ("create", "update", "same", "reject")}


# -- the merge (inside the caller's transaction)


def merge(job: ImportJob, actor, now: datetime) -> None:
    _assign_ids(job)
    _insert_clients(job, now)
    _insert_ownerships(job, actor, now)
    _insert_keys(job)
    _record_changes(job, actor, now)
    _move_owners(job, actor, now)
    _update_clients(job, now)
    _rekey(job)


def _assign_ids(job: ImportJob) -> None:
    table = Client._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # nextval per row: safe beside other transactions creating clients at the same time;
            # taken in the file's row order, so client numbers follow the file.
            cursor.execute(
                f"UPDATE {ROW} SET client_id = numbered.new_id FROM ("  # noqa: S608
                " SELECT ordered.id, nextval(pg_get_serial_sequence(%s, 'id')) AS new_id FROM ("
                f" SELECT id FROM {ROW} WHERE job_id = %s AND action = 'create' ORDER BY row_no) AS ordered"
                f") AS numbered WHERE {ROW}.id = numbered.id",
                [table, job.pk],
            )
            return
        # SQLite: the transaction holds the write lock (IMMEDIATE), so the highest id stays ours.
        # sqlite_sequence too: AUTOINCREMENT never gives a deleted client's id again, nor do we.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {CLIENT}), 0),"  # noqa: S608
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        base = cursor.fetchone()[0]
        cursor.execute(
            f"UPDATE {ROW} SET client_id = %s + numbered.n FROM ("  # noqa: S608
            f" SELECT id, ROW_NUMBER() OVER (ORDER BY row_no) AS n FROM {ROW}"
            " WHERE job_id = %s AND action = 'create') AS numbered"
            f" WHERE {ROW}.id = numbered.id",
            [base, job.pk],
        )


def _insert_clients(job: ImportJob, now: datetime) -> None:
    """INSERT … SELECT: staged values where given, else each field's default (new fields too)."""
    staged = {field.name for field in ImportRow._meta.concrete_fields}
    columns, expressions, params = [], [], []
    for field in Client._meta.concrete_fields:
        columns.append(_q(field.column))
        if field.primary_key:
            expressions.append("r.client_id")
            continue
        if field.name in ("created_at", "updated_at"):
            expressions.append("%s")
            params.append(field.get_db_prep_save(now, connection))
            continue
        source = field.attname if field.attname in staged else None
        default = field.get_db_prep_save(field.get_default(), connection)
        if source and field.null:
            expressions.append(f"r.{_q(source)}")
        elif source:
            expressions.append(f"COALESCE(r.{_q(source)}, %s)")
            params.append(default)
        else:
            expressions.append("%s")
            params.append(default)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CLIENT} ({', '.join(columns)}) SELECT {', '.join(expressions)}"  # noqa: S608
            f" FROM {ROW} r WHERE r.job_id = %s AND r.action = 'create'",
            [*params, job.pk],
        )


def _insert_ownerships(job: ImportJob, actor, now: datetime) -> None:
    table = _q(ClientOwnership._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, owner_id, how, started_at, ended_at, reason, handed_over_by_id)"  # noqa: S608
            f" SELECT r.client_id, r.owner_id, %s, %s, NULL, %s, NULL FROM {ROW} r"
            " WHERE r.job_id = %s AND r.action = 'create'",
            [ClientOwnership.How.IMPORT, _db_time(now), job.file_name[:200], job.pk],
        )


def _insert_keys(job: ImportJob) -> None:
    table = _q(ClientSearchKey._meta.db_table)
    if connection.vendor == "postgresql":
        elements = "CROSS JOIN LATERAL jsonb_array_elements_text(r.search_keys::jsonb) AS j(value)"
    else:
        elements = ", json_each(r.search_keys) AS j"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, {_q('key')}) SELECT r.client_id, j.value"  # noqa: S608
            f" FROM {ROW} r {elements} WHERE r.job_id = %s AND r.action = 'create'",
            [job.pk],
        )


def _shown(field: str, side: str) -> str:
    """The SQL text of a field's value as the change history shows it (changes_record's _shown)."""
    column = f"{side}.{_q(_column(field) if side == 'c' else _staged_column(field))}"
    if field == "owner":
        from amdesk.orgs.models import Staff

        return f"(SELECT employee_no FROM {_q(Staff._meta.db_table)} WHERE id = {column})"  # noqa: S608
    if field in ("vip_level", "tier", "grade"):  # preset items: their code, as the history keeps it
        table = _q(Client._meta.get_field(field).related_model._meta.db_table)
        return f"(SELECT code FROM {table} WHERE id = {column})"  # noqa: S608
    if field in PERSONAL:
        head, tail = settings.AMDESK_MASKING[field]
        stars = MASK_CHAR * (PERSONAL[field] - head - tail)
        start = PERSONAL[field] - tail + 1
        masked = f"SUBSTR({column}, 1, {head}) || '{stars}' || SUBSTR({column}, {start}, {tail})"
        return f"(CASE WHEN {column} = '' THEN '' ELSE {masked} END)"
    return f"SUBSTR(CAST({column} AS VARCHAR(2000)), 1, 200)"


def _record_changes(job: ImportJob, actor, now: datetime) -> None:
    table = _q(ClientChange._meta.db_table)
    with connection.cursor() as cursor:
        for field in MERGED:
            cursor.execute(
                f"INSERT INTO {table} (client_id, field, old_value, new_value, source, changed_by_id,"  # noqa: S608
                " changed_at)"
                f" SELECT c.id, %s, COALESCE({_shown(field, 'c')}, ''), COALESCE({_shown(field, 'r')}, ''),"
                f" %s, %s, %s FROM {ROW} r JOIN {CLIENT} c ON c.id = r.client_id"
                f" WHERE r.job_id = %s AND r.action = 'update' AND {_changed(field, 'r')}",
                [field, ClientChange.Source.IMPORT, actor.pk, _db_time(now), job.pk],
            )


def _move_owners(job: ImportJob, actor, now: datetime) -> None:
    """An owner column that names another account manager: the history closes and opens an ownership."""
    table = _q(ClientOwnership._meta.db_table)
    moved = (
        f"FROM {ROW} r JOIN {CLIENT} c ON c.id = r.client_id"
        f" WHERE r.job_id = %s AND r.action = 'update' AND {_changed('owner', 'r')}"
    )
    with connection.cursor() as cursor:
        # Close first: one open ownership per client is a constraint.
        cursor.execute(
            f"UPDATE {table} SET ended_at = %s WHERE ended_at IS NULL"  # noqa: S608
            f" AND client_id IN (SELECT r.client_id {moved})",
            [_db_time(now), job.pk],
        )
        cursor.execute(
            f"INSERT INTO {table} (client_id, owner_id, how, started_at, ended_at, reason, handed_over_by_id)"  # noqa: S608
            f" SELECT r.client_id, r.owner_id, %s, %s, NULL, %s, %s {moved}",
            [ClientOwnership.How.IMPORT, _db_time(now), job.file_name[:200], actor.pk, job.pk],
        )


def _update_clients(job: ImportJob, now: datetime) -> None:
    sets = [
        f"{_q(_column(field))} = COALESCE(r.{_q(_staged_column(field))}, c.{_q(_column(field))})"
        for field in MERGED
    ]
    sets.append(f"{_q('org_node_id')} = COALESCE(r.org_node_id, c.{_q('org_node_id')})")
    sets += ["version = c.version + 1", "updated_at = %s"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CLIENT} AS c SET {', '.join(sets)} FROM {ROW} AS r"  # noqa: S608
            " WHERE r.client_id = c.id AND r.job_id = %s AND r.action = 'update'",
            [_db_time(now), job.pk],
        )


def _rekey(job: ImportJob) -> None:
    """New search keys for updated clients whose name, mobile or identifiers changed."""
    clients = Client.objects.filter(
        pk__in=ImportRow.objects.filter(job=job, action="update", rekey=True).values("client_id")
    ).values_list("pk", "name", "mobile", "id_number", "credit_code")
    batch = []

    def flush():
        ClientSearchKey.objects.filter(client_id__in=[pk for pk, *_ in batch]).delete()
        ClientSearchKey.objects.bulk_create(
            ClientSearchKey(client_id=pk, key=key)
            for pk, name, mobile, id_number, credit_code in batch
            for key in keys_for(name=name, mobile=mobile, id_number=id_number, credit_code=credit_code)
        )

    for values in clients.iterator(chunk_size=BATCH):
        batch.append(values)
        if len(batch) >= BATCH:
            flush()
            batch = []
    if batch:
        flush()


def touched(job: ImportJob):
    """The clients this job created or updated (a queryset, for the derived figures' refresh)."""
    return Client.objects.filter(
        pk__in=ImportRow.objects.filter(job=job, action__in=("create", "update")).values("client_id")
    )


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)
