"""Client lists and search at scale: `amdesk demo --clients N` into a database of its own, then timings.

    .venv/bin/python bench/clients_scale.py --clients 100000 --db sqlite
    .venv/bin/python bench/clients_scale.py --clients 1000000 --db postgres --reuse

Builds the data set with the demo command (its own SQLite file under var/bench/, or its own
PostgreSQL database `amdesk_bench_<N>`; never the development database), then times the list and
search queries the client pages and API run, through the real selector (`client_list`) and the
API's keyset pagination. Each time is printed as a ratio against a baseline measured in the same
run: fetching 50 clients by primary key. A naive `name LIKE '%…%'` page is timed for contrast.
The search-box queries' plans are printed, and flagged when they scan the client or search key
table instead of using an index.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-server", default=PG_SERVER, help="PostgreSQL server URL (no database name)")
    parser.add_argument("--pg-database", help="default: amdesk_bench_<clients>")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (the median counts)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a data set of the same size built by an earlier run"
    )
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "var" / "bench", help="where the SQLite file and marker go"
    )
    return parser.parse_args(argv)


def database_url(args) -> str:
    if args.db == "sqlite":
        path = args.data_dir / f"clients_{args.clients}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    args.pg_database = args.pg_database or f"amdesk_bench_{args.clients}"
    if not args.reuse:
        import psycopg

        with psycopg.connect(f"{args.pg_server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}"')
            connection.execute(f'CREATE DATABASE "{args.pg_database}"')
    return f"{args.pg_server}/{args.pg_database}"


def setup(args) -> None:
    os.environ["DATABASE_URL"] = database_url(args)
    os.environ["DJANGO_SETTINGS_MODULE"] = "amdesk.settings.local"
    os.environ["DEBUG"] = "0"  # no query log while loading a million rows
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def marker_path(args) -> Path:
    """What the last build of this data set was: its size and seed, and the archive's count then."""
    name = f"clients_{args.clients}.sqlite3" if args.db == "sqlite" else args.pg_database
    return args.data_dir / f"{name}.built.json"


def build(args) -> None:
    from django.core.management import call_command

    from amdesk.clients.models import Client

    call_command("migrate", verbosity=0)
    marker = marker_path(args)
    wanted = {"clients": args.clients, "seed": args.seed}
    if args.reuse and marker.exists():
        built = json.loads(marker.read_text())
        # The demo adds a few clients of its own (its sample import) beside the N it generates: the
        # marker says what a build left, so a data set is reused when it is still that one.
        if {key: built.get(key) for key in wanted} == wanted and Client.objects.count() == built["count"]:
            print(f"reusing the data set of {args.clients:,} clients")
            return
    if Client.objects.exists():
        sys.exit("The bench database holds another data set; run without --reuse to rebuild it.")
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    options = ["--no-progress"] if args.no_progress else []
    with open(os.devnull, "w") as quiet:
        call_command("demo", f"--clients={args.clients}", f"--seed={args.seed}", *options, stdout=quiet)
    print(f"amdesk demo --clients {args.clients:,}: {time.perf_counter() - started:.0f} s")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({**wanted, "count": Client.objects.count()}))


def timed(run, repeat: int) -> float:
    run()  # warm the caches: the pages are read again and again, not once after a restart
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None) -> None:
    args = parse_args(argv)
    setup(args)
    build(args)
    from clients_queries import Workload, padded, plan_summary

    workload = Workload()
    baseline = timed(workload.baseline, args.repeat)
    print(f"\n{args.db}, {args.clients:,} clients")
    print(f"baseline, 50 clients by primary key: {baseline * 1000:.2f} ms")
    print(f"{'query':<44} {'rows':>5} {'x baseline':>11}")
    for label, run in workload.queries():
        rows = run()
        print(f"{padded(label, 44)} {rows:>5} {timed(run, args.repeat) / baseline:>11.1f}")
    print("\nSearch-box plans (a full scan of the client or search key table is flagged):")
    flagged = 0
    for label, queryset in workload.search_querysets():
        summary, scans = plan_summary(queryset)
        flagged += bool(scans)
        print(f"  {label}: {'SCAN ' + ', '.join(scans) if scans else 'no full scan'}")
        for line in summary:
            print(f"      {line}")
    if flagged:
        print(f"\n{flagged} search queries scan a whole table.")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
