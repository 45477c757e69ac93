"""Client import at scale: our import beside raw COPY and django-import-export, in the same run.

    .venv/bin/python bench/import_clients.py                       # 100k and 1M rows, PostgreSQL
    .venv/bin/python bench/import_clients.py --rows 100000,300000 --profile --xlsx
    .venv/bin/python bench/import_clients.py --rows 100000 --sqlite

For each size N it makes its own PostgreSQL database (`amdesk_bench_import` on --pg-server,
dropped and created again, dropped at the end; never the development database), loads the
organisation and staff with `amdesk demo --clients 0`, writes a CSV of N generated clients
(valid resident IDs, Chinese names, mobiles, the demo account managers' employee numbers, stage,
grade, address, remarks; 0.1 % of the rows typed with full-width digits and spaces), then times,
each in a fresh process of its own so that its peak memory (ru_maxrss) is its own:

1. ours: `import_upload` → `import_check` → `import_apply` (the services the page and
   `amdesk import-clients` run), acting as --as (default head1, whose scope covers every
   demo account manager), into an empty archive; with the time of each phase;
2. ours again with the same file: every row found and unchanged;
3. raw COPY: psycopg 3 `cursor.copy(...)`, `write_row` of the rows our import wrote (read back
   from clients_client after run 1: the same cleaned values, defaults and figures) into the
   emptied clients_client, one transaction. It writes no search keys, ownership, history or
   staged rows, and checks nothing; ours does all of that;
4. django-import-export (`pip install "django-import-export>=4.3,<5"`, the `bench` extra) with
   the same CSV into the emptied clients_client: a ModelResource, import_id_fields=("id_number",),
   use_bulk, skip_diff, batch_size 1000, owner and org node from the employee number through a
   dict read before the run; once with its default instance loader (a SELECT per row) and once
   with CachedInstanceLoader (one SELECT for the whole file). Up to --die-rows rows only (default
   100,000: it does ~0.8k and ~3k rows/s, a million would take 20 and 6 minutes).

A run that takes longer than --timeout (the re-import: --again-timeout) is stopped, and its
server backend ended, and reported as "did not finish" (rows/s below rows / timeout).

Targets (from the issue): ours ≥ 0.5× COPY's rows/s, ≥ 10× django-import-export's (judged
against each of its two runs), memory flat in rows (the peak at the largest N at most 1.5× the
peak at the smallest). Each is printed PASS or MISS from the numbers of this run.

Besides: the time of each phase of ours (the services' steps, timed by wrapping them), the
slowest SQL statements of each run of ours with where they are sent from, the peak memory of
every run.

--xlsx also imports an .xlsx of the smallest N (reported on its own: openpyxl's streaming reader
is the cost there); --sqlite also runs ours (and the re-import) on a SQLite file; --profile runs
ours once more at the smallest N under cProfile and prints the top 25 functions by cumulative
time (and the top 15 by own time).
"""

import argparse
import csv
import functools
import json
import math
import os
import pickle
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
FIELDS = ("name", "id_number", "mobile", "owner", "lifecycle", "grade", "address", "remarks")
FULL_WIDTH_EVERY = 1000  # one row in a thousand typed with a Chinese input method
DUMP_CHUNK = 10_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated sizes")
    parser.add_argument("--pg-server", default=PG_SERVER, help="PostgreSQL server URL (no database name)")
    parser.add_argument("--pg-database", default="amdesk_bench_import")
    parser.add_argument("--as", dest="actor", default="head1", help="the importing user (demo username)")
    parser.add_argument(
        "--die-rows", type=int, default=100_000, help="run django-import-export up to this many rows"
    )
    parser.add_argument("--no-die", action="store_true", help="skip django-import-export")
    parser.add_argument("--no-again", action="store_true", help="skip the re-import of the same file")
    parser.add_argument("--xlsx", action="store_true", help="also import an .xlsx of the smallest size")
    parser.add_argument("--sqlite", action="store_true", help="also run ours on SQLite")
    parser.add_argument("--profile", action="store_true", help="cProfile ours at the smallest size")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a run may take")
    parser.add_argument(
        "--again-timeout", type=float, default=300, help="seconds the re-import of the same file may take"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work-dir", type=Path, help="default: a temporary directory, removed at the end")
    parser.add_argument("--keep", action="store_true", help="keep the work directory and the database")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- memory


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def memory() -> dict:
    """This process's resident memory in MB: now, and its peak (ru_maxrss; VmHWM as a cross-check)."""
    return {
        "rss_mb": _status_kb("VmRSS") / 1024,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "hwm_mb": _status_kb("VmHWM") / 1024,
    }


# -- the file


AREAS = ("110105", "310115", "330106", "440305", "320102", "510107", "420106", "370202", "210202", "350203")
CITIES = (
    ("北京市", ("朝阳区", "海淀区", "西城区")),
    ("上海市", ("浦东新区", "徐汇区", "静安区")),
    ("杭州市", ("西湖区", "上城区", "滨江区")),
    ("深圳市", ("南山区", "福田区", "罗湖区")),
    ("南京市", ("玄武区", "鼓楼区", "建邺区")),
    ("成都市", ("锦江区", "武侯区", "高新区")),
)
ROADS = ("人民路", "解放路", "中山路", "建设路", "文化路", "长江路", "新华路", "学院路", "湖滨路", "科技路")
REMARKS = (
    "",
    "",
    "",
    "代发工资客户",
    "理财到期需跟进",
    "有房贷，关注提前还款意向",
    "子女留学，关注外汇业务",
    "企业主，名下公司在我行开户",
    "老客户转介绍",
    "偏好稳健型产品",
)
STAGES = ("已成交客户", "已成交客户", "已成交客户", "准客户")
GRADES = ("一级", "二级", "三级", "三级", "四级", "五级", "")
FIRST_BIRTH, LAST_BIRTH = date(1950, 1, 1), date(2005, 12, 31)


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def client_rows(count: int, owners: list[str], seed: int):
    """`count` rows of the file, as the cells of FIELDS; every resident ID different and valid."""
    from stdnum.cn import ric

    from amdesk.demo.names import mobile, person_name

    rng = random.Random(seed)
    days = (LAST_BIRTH - FIRST_BIRTH).days + 1
    space = days * 1000  # (birth date, 3-digit serial): area codes may repeat, these do not
    if count > space:
        sys.exit(f"At most {space:,} distinct resident IDs here.")
    step = 1_000_003
    while math.gcd(step, space) != 1:
        step += 2
    offset = rng.randrange(space)
    for i in range(count):
        k = (offset + i * step) % space  # a bijection on [0, space): unique, spread over dates
        body = f"{rng.choice(AREAS)}{FIRST_BIRTH + timedelta(days=k % days):%Y%m%d}{k // days:03d}"
        id_number = body + ric.calc_check_digit(body + "0")
        name, phone = person_name(rng), mobile(rng)
        city, districts = rng.choice(CITIES)
        address = f"{city}{rng.choice(districts)}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
        if i % FULL_WIDTH_EVERY == FULL_WIDTH_EVERY // 2:
            id_number, phone = full_width(id_number), full_width(f"{phone[:3]} {phone[3:7]} {phone[7:]}")
            name = "\u3000".join(name) if len(name) == 2 else name
        yield (
            name,
            id_number,
            phone,
            rng.choice(owners),
            rng.choice(STAGES),
            rng.choice(GRADES),
            address,
            rng.choice(REMARKS),
        )


def headers() -> list[str]:
    from amdesk.clients.columns import BY_FIELD

    return [BY_FIELD[field].header for field in FIELDS]


def write_csv(path: Path, count: int, owners: list[str], seed: int) -> None:
    # "CSV UTF-8" as Excel saves it: with a byte-order mark.
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers())
        writer.writerows(client_rows(count, owners, seed))


def write_xlsx(path: Path, count: int, owners: list[str], seed: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("客户清单")
    sheet.write_row(0, 0, headers())
    for line, row in enumerate(client_rows(count, owners, seed), start=1):
        sheet.write_row(line, 0, row)
    workbook.close()


# -- the workers (each a fresh process: python bench/import_clients.py --worker KIND --spec JSON)


def django_setup(spec: dict) -> None:
    os.environ["DATABASE_URL"] = spec["database_url"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "amdesk.settings.local"
    os.environ["DEBUG"] = "0"  # no query log
    os.environ["AMDESK_IMPORT_DIR"] = spec["import_dir"]
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def worker_setup(spec: dict) -> dict:
    """Migrate, load the demo organisation and staff (no clients); the account managers' numbers."""
    django_setup(spec)
    from django.core.management import call_command

    from amdesk.clients.models import Client
    from amdesk.orgs.models import Staff

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", "--clients=0", f"--seed={spec['seed']}", "--no-progress", stdout=quiet)
    # The demo's own sample import left a dozen clients: the runs start from an empty archive.
    empty_archive(Client)
    owners = Staff.objects.filter(
        roles__code="account_manager", status=Staff.Status.ACTIVE, is_active=True
    ).values_list("employee_no", flat=True)
    return {"owners": sorted(owners)}


def empty_archive(model) -> None:
    """Delete every row of `model`, first every row of what protects them (the demo's tickets and
    follow-up plans hold their clients with PROTECT or RESTRICT), however deep that goes."""
    from django.db.models import ProtectedError, RestrictedError

    while True:
        try:
            model.objects.all().delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if isinstance(error, ProtectedError):
                blockers = error.protected_objects
            else:
                blockers = error.restricted_objects
            empty_archive(type(next(iter(blockers))))


class Clock:
    """Seconds spent in wrapped functions, by label (a few dozen calls, or one per row: ~0.3 µs each)."""

    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self.phase = ""
        self.marks: dict[str, float] = {}

    def wrap(self, owner, name: str, label: str | None = None, phased: bool = False) -> None:
        original = getattr(owner, name)
        label = label or name

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                key = f"{self.phase}{label}" if phased else label
                self.totals[key] += time.perf_counter() - started

        setattr(owner, name, timed)

    def wrap_rows(self, owner, name: str, label: str) -> None:
        """A generator function: the time its consumer waits for each item."""
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            items = original(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    self.totals[label] += time.perf_counter() - started
                    return
                self.totals[label] += time.perf_counter() - started
                yield item

        setattr(owner, name, timed)

    def mark(self, label: str) -> None:
        self.marks[label] = time.perf_counter()


MERGE_STEPS = (
    "_assign_ids",
    "_insert_clients",
    "_insert_ownerships",
    "_insert_keys",
    "_record_changes",
    "_move_owners",
    "_update_clients",
    "_rekey",
)


OPTIONAL_STEPS = ("analyze_staging", "archive_mark", "drop_staged", "analyze_archive")


def instrument(clock: Clock) -> None:
    from amdesk.clients.imports import checker, merge, services
    from amdesk.core.rows import RowWriter

    clock.wrap_rows(services, "_data_rows", "read")
    clock.wrap(checker.RowChecker, "check", "clean+check")
    clock.wrap(RowWriter, "write", "stage")
    clock.wrap(services, "_save_progress", "progress", phased=True)
    clock.wrap(merge, "check_in_file", "check_in_file", phased=True)
    clock.wrap(merge, "check_against_archive", "check_against_archive", phased=True)
    clock.wrap(merge, "counts", "counts", phased=True)
    for step in MERGE_STEPS:
        clock.wrap(merge, step)
    clock.wrap(services, "completeness_refresh")
    clock.wrap(services, "stakeholder_refresh")
    clock.wrap(services, "_write_report", "_write_report", phased=True)
    for name in OPTIONAL_STEPS:  # steps some versions of the import have
        if hasattr(merge, name):
            clock.wrap(merge, name, name, phased=True)
    original_audit = services._audit

    def audit(*args, **kwargs):
        original_audit(*args, **kwargs)
        clock.mark("audited")  # what follows in import_apply: drop the staged rows, commit, ANALYZE

    services._audit = audit


class Statements:
    """Wall time of each SQL statement the run sends (a connection execute wrapper), by where it is sent."""

    def __init__(self):
        self.found: dict[tuple, list] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            key = (self._caller(), sql if len(sql) < 400 else sql[:400])
            entry = self.found.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += elapsed

    @staticmethod
    def _caller() -> str:
        frame = sys._getframe(2)
        while frame is not None:
            file = frame.f_code.co_filename
            if "/amdesk/" in file and "/bench/" not in file:
                return f"{file.split('/amdesk/', 1)[1]}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        return "?"

    def top(self, count: int = 10) -> list[dict]:
        ranked = sorted(self.found.items(), key=lambda item: -item[1][1])[:count]
        return [
            {"where": where, "sql": " ".join(sql.split())[:300], "calls": calls, "seconds": seconds}
            for (where, sql), (calls, seconds) in ranked
        ]


def run_ours(spec: dict, clock: Clock | None = None, profiler=None) -> dict:
    from django.db import connection

    from amdesk.clients.imports import services
    from amdesk.clients.models import Client, ImportJob
    from amdesk.orgs.models import Staff

    actor = Staff.objects.get(username=spec["actor"])
    path = Path(spec["file"])
    connection.ensure_connection()
    before = memory()
    clock = clock or Clock()
    statements = Statements()
    if profiler:
        profiler.enable()
    else:
        connection.execute_wrappers.append(statements)
    started = time.perf_counter()
    with open(path, "rb") as upload:
        job = services.import_upload(actor=actor, upload=upload, file_name=path.name)
    uploaded = time.perf_counter()
    clock.phase = "check: "
    job = services.import_check(job=job)
    checked = time.perf_counter()
    if job.state != ImportJob.State.CHECKED:
        problems = list(job.problems.values_list("row_no", "column", "message")[:5])
        sys.exit(f"The check did not pass: {job.state} {job.message} {job.rejected} rejected {problems}")
    clock.phase = "apply: "
    job = services.import_apply(job=job)
    finished = time.perf_counter()
    if profiler:
        profiler.disable()
    if job.state != ImportJob.State.DONE:
        sys.exit(f"The import did not finish: {job.state} {job.message}")
    return {
        "rows": job.rows_read,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "rejected": job.rejected,
        "clients": Client.objects.count(),
        "seconds": finished - started,
        "upload": uploaded - started,
        "check": checked - uploaded,
        "apply": finished - checked,
        "tail": finished - clock.marks.get("audited", finished),
        "parts": dict(clock.totals),
        "statements": statements.top(),
        "before": before,
    }


def worker_ours(spec: dict) -> dict:
    django_setup(spec)
    from amdesk.clients.imports import services  # noqa: F401 (loaded before the baseline memory)

    clock = Clock()
    instrument(clock)
    return run_ours(spec, clock)


def worker_profile(spec: dict) -> dict:
    import cProfile

    django_setup(spec)
    from amdesk.clients.imports import services  # noqa: F401

    profiler = cProfile.Profile()
    result = run_ours(spec, profiler=profiler)
    profiler.dump_stats(spec["stats"])
    return result


def worker_dump(spec: dict) -> dict:
    """The rows our import wrote, in pickled chunks of tuples (all columns but id), for COPY.

    A worker of its own, so that the parent stays small: a child started from a big parent may
    count the parent's memory in its ru_maxrss (Linux carries it over at exec).
    """
    import psycopg

    with psycopg.connect(spec["pg_url"]) as connection, connection.cursor(name="dump") as cursor:
        cursor.itersize = DUMP_CHUNK
        cursor.execute("SELECT * FROM clients_client ORDER BY id")
        columns = [column.name for column in cursor.description]
        keep = [index for index, column in enumerate(columns) if column != "id"]
        with open(spec["dump"], "wb") as out:
            while rows := cursor.fetchmany(DUMP_CHUNK):
                pickle.dump([tuple(row[index] for index in keep) for row in rows], out, protocol=5)
    return {"columns": [columns[index] for index in keep]}


def worker_copy(spec: dict) -> dict:
    """Raw COPY of the cleaned rows (pickled chunks of tuples) into the emptied client table."""
    import psycopg

    columns = spec["columns"]
    before = memory()
    with psycopg.connect(spec["pg_url"]) as connection:
        connection.execute("TRUNCATE clients_client CASCADE")
        connection.commit()
        loading = 0.0
        count = 0
        names = ", ".join(f'"{column}"' for column in columns)
        with open(spec["dump"], "rb") as dump:
            started = time.perf_counter()
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY clients_client ({names}) FROM STDIN") as copy,
            ):
                while True:
                    mark = time.perf_counter()
                    try:
                        chunk = pickle.load(dump)  # noqa: S301 (our own file, written by this script)
                    except EOFError:
                        loading += time.perf_counter() - mark
                        break
                    loading += time.perf_counter() - mark
                    for row in chunk:
                        copy.write_row(row)
                    count += len(chunk)
            connection.commit()
            elapsed = time.perf_counter() - started
        written = connection.execute("SELECT count(*) FROM clients_client").fetchone()[0]
    return {
        "rows": count,
        "clients": written,
        "seconds": elapsed - loading,
        "unpickling": loading,
        "before": before,
    }


def die_resource(cached: bool):
    """A tuned django-import-export resource for the same file and the same required columns."""
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader, ModelInstanceLoader

    from amdesk.clients.columns import BY_FIELD
    from amdesk.clients.identity import normalize
    from amdesk.clients.models import Client, ClientGrade
    from amdesk.orgs.models import Staff

    staff = Staff.objects.values_list("employee_no", "pk", "org_node_id")
    owners = {number.upper(): pk for number, pk, _node in staff}
    nodes = {number.upper(): node for number, _pk, node in staff}

    def words(field: str, typed=str) -> dict:
        table = {}
        for value, options in BY_FIELD[field].words.items():
            for word in (value, *options):
                table.setdefault(word.upper(), typed(value))
        return table

    # Grades are preset data: any of a grade's words (name, code, aliases) stands for its id.
    grades = {normalize(word): grade.pk for grade in ClientGrade.objects.all() for word in grade.words()}

    class Lookup(widgets.Widget):
        def __init__(self, table: dict, **kwargs):
            super().__init__(**kwargs)
            self.table = table

        def clean(self, value, row=None, **kwargs):
            key = normalize(value or "")
            if not key:
                return None
            if key not in self.table:
                raise ValueError(f"unknown value {value!r}")
            return self.table[key]

    class Identifier(widgets.CharWidget):
        def clean(self, value, row=None, **kwargs):
            return normalize(value or "")

    def column(field: str, widget=None, attribute: str | None = None):
        return fields.Field(
            attribute=attribute or field,
            column_name=BY_FIELD[field].header,
            widget=widget or widgets.CharWidget(),
        )

    class ClientResource(resources.ModelResource):
        name = column("name")
        id_number = column("id_number", Identifier())
        mobile = column("mobile", Identifier())
        owner = column("owner", Lookup(owners), "owner_id")
        org_node = column("owner", Lookup(nodes), "org_node_id")
        lifecycle = column("lifecycle", Lookup(words("lifecycle")))
        grade = column("grade", Lookup(grades), "grade_id")
        address = column("address")
        remarks = column("remarks")

        class Meta:
            model = Client
            fields = (
                "name",
                "id_number",
                "mobile",
                "owner",
                "org_node",
                "lifecycle",
                "grade",
                "address",
                "remarks",
            )
            import_id_fields = ("id_number",)
            use_bulk = True
            skip_diff = True
            batch_size = 1000
            instance_loader_class = CachedInstanceLoader if cached else ModelInstanceLoader

    return ClientResource()


def worker_die(spec: dict) -> dict:
    django_setup(spec)
    import tablib
    from django.db import connection
    from import_export import resources  # noqa: F401 (loaded before the baseline memory)

    from amdesk.clients.models import Client

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE clients_client CASCADE")
    before = memory()
    started = time.perf_counter()
    resource_ = die_resource(spec["cached"])
    with open(spec["file"], encoding="utf-8-sig") as source:
        dataset = tablib.Dataset().load(source.read(), format="csv")
    loaded = time.perf_counter()
    result = resource_.import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    finished = time.perf_counter()
    return {
        "rows": len(dataset),
        "new": result.totals.get("new", 0),
        "errors": result.totals.get("error", 0) + result.totals.get("invalid", 0),
        "clients": Client.objects.count(),
        "seconds": finished - started,
        "load": loaded - started,
        "before": before,
    }


WORKERS = {
    "setup": worker_setup,
    "ours": worker_ours,
    "profile": worker_profile,
    "dump": worker_dump,
    "copy": worker_copy,
    "die": worker_die,
}


def worker_main(args) -> None:
    spec = json.loads(args.spec)
    result = WORKERS[args.worker](spec)
    result["memory"] = memory()
    result["load"] = os.getloadavg()[0]  # other work on the machine shows here
    Path(spec["result"]).write_text(json.dumps(result, default=str))


# -- the run


def timed_out(rows: int, limit: float) -> dict:
    return {"timeout": True, "rows": rows, "seconds": limit}


class Bench:
    def __init__(self, args):
        self.args = args
        self.sizes = sorted({int(size.replace("_", "")) for size in args.rows.split(",") if size.strip()})
        self.temporary = args.work_dir is None
        self.work = args.work_dir or Path(tempfile.mkdtemp(prefix="amdesk-bench-import-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.pg_url = f"{args.pg_server}/{args.pg_database}"
        self.results: dict[int, dict] = {}
        self.calls = 0

    # -- plumbing

    def worker(self, kind: str, database_url: str, timeout: float | None = None, **spec) -> dict | None:
        """Run a worker in a fresh process; None when it did not finish within `timeout` seconds."""
        self.calls += 1
        result_path = self.work / f"result-{self.calls}.json"
        spec |= {
            "database_url": database_url,
            "pg_url": self.pg_url,
            "import_dir": str(self.work / "imports"),
            "seed": self.args.seed,
            "actor": self.args.actor,
            "result": str(result_path),
        }
        command = [sys.executable, __file__, "--worker", kind, "--spec", json.dumps(spec)]
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)  # noqa: S603 (this script)
        try:
            returncode = process.wait(timeout=timeout or self.args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)  # the worker's own process group, started above
            process.wait()
            if database_url.startswith("postgres"):
                self.stop_backends()  # the server would go on with the statement the worker left
            return None
        if returncode:
            sys.exit(f"The {kind} worker failed (exit {returncode}).")
        return json.loads(result_path.read_text())

    def stop_backends(self) -> None:
        """End the server processes of the benchmark's own database (no other database's)."""
        import psycopg

        with psycopg.connect(f"{self.args.pg_server}/postgres", autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [self.args.pg_database],
            )

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.args.pg_server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def fresh_database(self) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{self.args.pg_database}"')
        self.admin(f'CREATE DATABASE "{self.args.pg_database}"')

    def truncate(self) -> None:
        """Empty the client table (and what points at it) of the benchmark's database."""
        import psycopg

        with psycopg.connect(self.pg_url, autocommit=True) as connection:
            connection.execute("TRUNCATE clients_client CASCADE")

    def sqlite_url(self, rows: int) -> str:
        path = self.work / f"import_{rows}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"

    def say(self, text: str = "") -> None:
        print(text, flush=True)

    def ours(self, label: str, database_url: str, file: Path, rows: int, timeout=None, **expected) -> dict:
        result = self.worker("ours", database_url, timeout=timeout, file=str(file))
        if result is None:
            result = timed_out(rows, timeout or self.args.timeout)
        else:
            wrong = {key: result[key] for key, value in expected.items() if result[key] != value}
            if wrong or result["rejected"]:
                sys.exit(f"{label}: expected {expected}, got {wrong}, {result['rejected']} rejected")
        self.say(self.line(label, result))
        return result

    # -- one size

    def run_size(self, rows: int) -> None:
        args, found = self.args, {}
        self.results[rows] = found
        self.say(f"\n== {rows:,} rows ==")
        started = time.perf_counter()
        self.fresh_database()
        owners = self.worker("setup", self.pg_url)["owners"]
        self.say(
            f"database {args.pg_database}: migrate + demo --clients 0: {time.perf_counter() - started:.0f} s"
        )
        csv_path = self.work / f"clients_{rows}.csv"
        started = time.perf_counter()
        write_csv(csv_path, rows, owners, args.seed + rows)
        self.say(
            f"{csv_path.name}: {csv_path.stat().st_size / 2**20:.0f} MB, written in "
            f"{time.perf_counter() - started:.0f} s ({len(owners)} account managers as owners)"
        )

        found["ours"] = self.ours("ours", self.pg_url, csv_path, rows, created=rows)
        if found["ours"].get("timeout"):
            sys.exit("Our import did not finish: nothing to compare.")
        earlier = [self.results[size]["again"] for size in self.results if size < rows]
        if args.no_again:
            found["again"] = {**timed_out(rows, 0), "skipped": "option"}
        elif any(result.get("timeout") and result.get("skipped") != "option" for result in earlier):
            found["again"] = {**timed_out(rows, args.again_timeout), "skipped": "timeout"}
            self.say("  ours, same file again: skipped, it timed out at a smaller size")
        else:
            found["again"] = self.ours(
                "ours, same file again",
                self.pg_url,
                csv_path,
                rows,
                timeout=args.again_timeout,
                unchanged=rows,
            )

        dump = self.work / f"cleaned_{rows}.pickle"
        columns = self.worker("dump", self.pg_url, dump=str(dump))["columns"]
        found["copy"] = copy = self.worker("copy", self.pg_url, dump=str(dump), columns=columns)
        dump.unlink()
        if copy["clients"] != rows:
            sys.exit(f"COPY wrote {copy['clients']} rows, not {rows}.")
        self.say(
            self.line("raw COPY", copy) + f" (+{copy['unpickling']:.1f} s reading the rows, not counted)"
        )

        if not args.no_die and rows <= args.die_rows:
            for cached, label in ((False, "die"), (True, "die_cached")):
                result = self.worker("die", self.pg_url, file=str(csv_path), cached=cached)
                if result is None:
                    result = timed_out(rows, args.timeout)
                elif result["clients"] != rows or result["errors"]:
                    sys.exit(
                        f"django-import-export wrote {result['clients']} rows, {result['errors']} errors."
                    )
                found[label] = result
                loader = "CachedInstanceLoader" if cached else "default instance loader"
                self.say(self.line(f"django-import-export, {loader}", result))

        if args.xlsx and rows == self.sizes[0]:
            xlsx_path = self.work / f"clients_{rows}.xlsx"
            started = time.perf_counter()
            write_xlsx(xlsx_path, rows, owners, args.seed + rows)
            self.say(
                f"{xlsx_path.name}: {xlsx_path.stat().st_size / 2**20:.0f} MB, written in "
                f"{time.perf_counter() - started:.0f} s"
            )
            self.truncate()
            found["xlsx"] = self.ours(
                "ours, the same rows as .xlsx", self.pg_url, xlsx_path, rows, created=rows
            )
            xlsx_path.unlink()

        if args.profile and rows == self.sizes[0]:
            self.truncate()
            stats = self.work / f"profile_{rows}.pstats"
            result = self.worker("profile", self.pg_url, file=str(csv_path), stats=str(stats))
            if result is None:
                self.say("  ours under cProfile: timed out")
            else:
                found["profile"] = result | {"stats": str(stats)}
                self.say(self.line("ours under cProfile", result))

        if args.sqlite:
            url = self.sqlite_url(rows)
            if self.worker("setup", url)["owners"] != owners:
                sys.exit("The SQLite demo's account managers differ from PostgreSQL's.")
            found["sqlite"] = self.ours("ours on SQLite", url, csv_path, rows, created=rows)
            found["sqlite_again"] = self.ours(
                "ours on SQLite, same file again",
                url,
                csv_path,
                rows,
                timeout=args.again_timeout,
                unchanged=rows,
            )
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        csv_path.unlink()

    # -- the report

    @staticmethod
    def rate(result: dict | None) -> float | None:
        """Rows per second; for a run that timed out, the most it can have been."""
        if not result or result.get("skipped") == "option":
            return None
        return result["rows"] / result["seconds"]

    def rate_text(self, result: dict | None, width: int = 9) -> str:
        if self.rate(result) is None:
            return f"{'-':>{width}}"
        text = f"{'<' if result.get('timeout') else ''}{self.rate(result):,.0f}"
        return f"{text:>{width}}"

    def line(self, label: str, result: dict) -> str:
        if result.get("timeout"):
            return (
                f"  {label}: did not finish in {result['seconds']:.0f} s (< {self.rate(result):,.0f} rows/s)"
            )
        return (
            f"  {label}: {result['seconds']:.1f} s, {self.rate(result):,.0f} rows/s, "
            f"peak RSS {result['memory']['peak_mb']:.0f} MB (at start {result['before']['rss_mb']:.0f} MB), "
            f"load {result['load']:.1f}"
        )

    @staticmethod
    def code_state() -> str:
        """The commit measured, and whether the product code had changes not committed yet (read-only git)."""
        git = shutil.which("git")
        if git is None:
            return "code: git not found"

        def output(*command: str) -> str:
            return subprocess.run(  # noqa: S603 (git, read-only commands)
                [git, "--no-optional-locks", *command], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout

        try:
            commit = output("rev-parse", "--short", "HEAD").strip()
            changed = output("status", "--porcelain", "--", "src").splitlines()
        except (OSError, subprocess.CalledProcessError):
            return "code: not a git checkout"
        return f"code: commit {commit}" + (f", {len(changed)} files in src/ not committed" if changed else "")

    def report(self) -> None:
        self.say(f"\n{self.code_state()}; {os.cpu_count()} cores")
        self.say("\n== Summary: PostgreSQL, rows/s = rows of the file / wall seconds of the whole run ==")
        self.say(
            "COPY: clients_client only, the cleaned rows handed to it ready-made; no reading, cleaning or "
            "checking, no search\n  keys, ownership history or staged rows (ours writes all of these).\n"
            "die: django-import-export, default instance loader (a SELECT per row); die*: with "
            "CachedInstanceLoader (one SELECT for the file).\n  Both write clients_client only, with the "
            "little cleaning their widgets here do.\n"
            "again: ours with the same file a second time (every row found, unchanged)."
        )
        self.say(
            f"{'rows':>10} {'ours r/s':>9} {'COPY r/s':>9} {'ours/COPY':>9} {'die r/s':>8} "
            f"{'die* r/s':>8} {'ours/die':>8} {'ours/die*':>9} {'again r/s':>9} {'peak MB':>8}"
        )
        for rows, found in self.results.items():
            ours, copy = self.rate(found["ours"]), self.rate(found["copy"])
            dies = ("die", "die_cached")
            versus = [f"{ours / self.rate(found[key]):.2f}" if key in found else "-" for key in dies]
            self.say(
                f"{rows:>10,} {self.rate_text(found['ours'])} {self.rate_text(found['copy'])} "
                f"{ours / copy:>9.2f} {self.rate_text(found.get('die'), 8)} "
                f"{self.rate_text(found.get('die_cached'), 8)} {versus[0]:>8} {versus[1]:>9} "
                f"{self.rate_text(found['again'])} {found['ours']['memory']['peak_mb']:>8.0f}"
            )
        self.verdicts()
        self.memory_table()
        self.phases()
        self.statements()
        extra = [
            (rows, label, found[key])
            for rows, found in self.results.items()
            for key, label in (
                ("xlsx", "ours, the same rows as .xlsx"),
                ("sqlite", "ours on SQLite"),
                ("sqlite_again", "ours on SQLite, same file again"),
            )
            if key in found
        ]
        if extra:
            self.say("\n== Other runs ==")
            for rows, label, result in extra:
                self.say(f"{rows:>10,} {self.line(label, result)}")
        for rows, found in self.results.items():
            if "profile" in found:
                self.print_profile(rows, found["profile"]["stats"])

    def verdicts(self) -> None:
        self.say("\nTargets:")
        for rows, found in self.results.items():
            ratio = self.rate(found["ours"]) / self.rate(found["copy"])
            verdict = "PASS" if ratio >= 0.5 else "MISS"
            self.say(f"  {rows:>10,} rows: ours/COPY {ratio:.2f} (target ≥ 0.5): {verdict}")
            for key, how in (
                ("die", "as the issue tunes it"),
                ("die_cached", "with CachedInstanceLoader as well"),
            ):
                if key in found:
                    ratio = self.rate(found["ours"]) / self.rate(found[key])
                    self.say(
                        f"  {rows:>10,} rows: ours/django-import-export {how} {ratio:.2f} (target ≥ 10): "
                        f"{'PASS' if ratio >= 10 else 'MISS'}"
                    )
            if not any(key in found for key in ("die", "die_cached")):
                why = "--no-die" if self.args.no_die else f"--die-rows {self.args.die_rows:,}"
                self.say(f"  {rows:>10,} rows: django-import-export not run ({why})")
            if found["again"].get("timeout") and found["again"].get("skipped") != "option":
                self.say(
                    f"  {rows:>10,} rows: the re-import of the same file did not finish (see below): MISS"
                )
        if len(self.results) >= 2:
            small, large = min(self.results), max(self.results)
            low = self.results[small]["ours"]["memory"]["peak_mb"]
            high = self.results[large]["ours"]["memory"]["peak_mb"]
            growth = high / low
            self.say(
                f"  memory: ours peaks at {low:.0f} MB with {small:,} rows, {high:.0f} MB with {large:,} "
                f"({large / small:.0f}× the rows, {growth:.2f}× the peak; flat means ≤ 1.5×): "
                f"{'PASS' if growth <= 1.5 else 'MISS'}"
            )
        else:
            self.say(
                "  memory: give two sizes (--rows 100000,1000000) to see whether the peak grows with rows"
            )

    def memory_table(self) -> None:
        self.say(
            "\nPeak resident memory per run, MB: ru_maxrss of the run's own process (in brackets: its RSS at "
            "the start,\nafter loading Django and the code; raw COPY loads psycopg only):"
        )
        kinds = [
            ("ours", "ours"),
            ("again", "again"),
            ("copy", "raw COPY"),
            ("die", "die"),
            ("die_cached", "die*"),
        ]
        self.say(f"{'rows':>10} " + " ".join(f"{label:>14}" for _key, label in kinds))
        for rows, found in self.results.items():
            cells = []
            for key, _label in kinds:
                result = found.get(key)
                if not result or result.get("timeout"):
                    cells.append("-")
                else:
                    cells.append(f"{result['memory']['peak_mb']:.0f} ({result['before']['rss_mb']:.0f})")
            self.say(f"{rows:>10,} " + " ".join(f"{cell:>14}" for cell in cells))
        for rows, found in self.results.items():
            for key, result in found.items():
                if isinstance(result, dict) and "memory" in result:
                    peak, hwm = result["memory"]["peak_mb"], result["memory"]["hwm_mb"]
                    if abs(peak - hwm) > max(10, 0.1 * hwm):
                        self.say(f"  note: {rows:,} {key}: ru_maxrss {peak:.0f} MB, VmHWM {hwm:.0f} MB")

    # (label, the run's part: "check"/"apply" (or None), the timer keys it adds up); each part's
    # remainder (its time outside the named steps) gets a line of its own.
    PHASES = (
        ("upload: store the file, detect encoding, find the header", None, ("upload",)),
        ("check: read the rows (csv / openpyxl)", "check", ("read",)),
        ("check: clean + check each row (RowChecker.check)", "check", ("clean+check",)),
        ("check: stage rows (COPY into clients_importrow)", "check", ("stage",)),
        ("check: ANALYZE the staged rows (analyze_staging)", "check", ("check: analyze_staging",)),
        ("check: duplicates in the file (check_in_file)", "check", ("check: check_in_file",)),
        ("check: against the archive (check_against_archive)", "check", ("check: check_against_archive",)),
        ("check: counts, archive_mark", "check", ("check: counts", "check: archive_mark")),
        ("check: other (batches, problems, progress, job)", "check", ()),
        ("apply: archive_mark", "apply", ("apply: archive_mark",)),
        ("apply: against the archive again", "apply", ("apply: check_against_archive",)),
        *[(f"apply: merge.{step}", "apply", (step,)) for step in MERGE_STEPS],
        ("apply: completeness_refresh", "apply", ("completeness_refresh",)),
        ("apply: stakeholder_refresh", "apply", ("stakeholder_refresh",)),
        ("apply: other (reset actions, counts, job, audit)", "apply", ()),
        ("apply: drop the staged rows (drop_staged)", "tail", ("apply: drop_staged",)),
        ("apply: ANALYZE the archive (analyze_archive)", "tail", ("apply: analyze_archive",)),
        ("apply: commit, and the rest after the audit", "tail", ()),
    )

    def phase_seconds(self, result: dict) -> list[float]:
        parts = dict(result["parts"], upload=result["upload"])
        named: dict[str, float] = defaultdict(float)
        values = []
        for _label, part, keys in self.PHASES:
            seconds = sum(parts.get(key, 0) for key in keys)
            if part and keys:
                named[part] += seconds
            values.append(seconds)
        # The remainders; the audit's mark splits the apply part from what follows it.
        totals = {"check": result["check"], "apply": result["apply"] - result["tail"], "tail": result["tail"]}
        return [
            totals[part] - named[part] if part and not keys else value
            for (_label, part, keys), value in zip(self.PHASES, values, strict=True)
        ]

    def phases(self) -> None:
        runs = [
            (rows, key, label)
            for rows in self.results
            for key, label in (("ours", "new"), ("again", "same"), ("xlsx", "xlsx"))
            if key in self.results[rows] and not self.results[rows][key].get("timeout")
        ]
        self.say(
            "\nWhere ours spends its time, seconds (share of the run); new = into an empty archive, "
            "same = the file again:"
        )
        heads = [f"{rows // 1000:,}k {label}" for rows, _key, label in runs]
        self.say(f"{'':<56}" + "".join(f"{head:>16}" for head in heads))
        columns = [self.phase_seconds(self.results[rows][key]) for rows, key, _label in runs]
        for line, (label, _part, _keys) in enumerate(self.PHASES):
            cells = []
            for (rows, key, _label), seconds in zip(runs, columns, strict=True):
                share = seconds[line] / self.results[rows][key]["seconds"]
                cells.append(f"{seconds[line]:>7.1f} ({share:>4.0%})")
            self.say(f"{label:<56}" + "".join(f"{cell:>16}" for cell in cells))
        totals = "".join(f"{self.results[rows][key]['seconds']:>7.1f} {'':>7}" for rows, key, _label in runs)
        self.say(f"{'total':<56}{totals}")
        self.say("(the per-row timers add ~0.6 µs a row; the lines of a column add up to its total)")

    def statements(self) -> None:
        for rows, found in self.results.items():
            for key, label in (("ours", "into an empty archive"), ("again", "the same file again")):
                result = found[key]
                if result.get("timeout"):
                    continue
                self.say(
                    f"\nSlowest SQL statements of ours, {rows:,} rows, {label} (seconds, calls, sent from):"
                )
                for entry in result["statements"][:8]:
                    self.say(f"{entry['seconds']:>8.2f} {entry['calls']:>5}  {entry['where']}")
                    self.say(f"{'':>16}{entry['sql'][:200]}")

    def print_profile(self, rows: int, path: str) -> None:
        import pstats

        stats = pstats.Stats(path)
        entries = [
            (cumulative, own, calls, self.short(file), line, function)
            for (file, line, function), (_cc, calls, own, cumulative, _callers) in stats.stats.items()
        ]
        total = max(entry[0] for entry in entries)
        for title, key, count in (("cumulative", 0, 25), ("own", 1, 15)):
            self.say(
                f"\ncProfile of ours at {rows:,} rows, top {count} by {title} time (the profiler slows "
                f"Python code, not the database; {total:.1f} s in all):"
            )
            self.say(f"{'calls':>10} {'own s':>8} {'cum s':>8}  function")
            for cumulative, own, calls, file, line, function in sorted(entries, key=lambda e: -e[key])[
                :count
            ]:
                self.say(f"{calls:>10,} {own:>8.2f} {cumulative:>8.2f}  {file}:{line}({function})")

    @staticmethod
    def short(file: str) -> str:
        for marker in ("site-packages/", "/src/", "lib/python3.11/"):
            if marker in file:
                return file.split(marker, 1)[1]
        return file

    def cleanup(self) -> None:
        if self.args.keep:
            self.say(f"\nkept: {self.work} and the database {self.args.pg_database}")
            return
        self.admin(f'DROP DATABASE IF EXISTS "{self.args.pg_database}" WITH (FORCE)')
        if self.temporary:
            shutil.rmtree(self.work, ignore_errors=True)


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.worker:
        worker_main(args)
        return
    name = args.pg_database
    if not name.startswith("amdesk_bench"):
        sys.exit(
            f"Refusing to use {name}: the benchmark drops and creates its database; give amdesk_bench_…."
        )
    bench = Bench(args)
    bench.say(bench.code_state())
    try:
        for rows in bench.sizes:
            bench.run_size(rows)
        bench.report()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
