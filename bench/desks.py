"""The role desks at scale: `amdesk demo --clients N` into a database of its own, then each role's desk
page timed against the bare SQL it needs.

    .venv/bin/python bench/desks.py --clients 100000 --db sqlite
    .venv/bin/python bench/desks.py --clients 1000000 --db postgres --reuse

Builds (or reuses) the data set as bench/clients_scale.py does, then refreshes the desks'
pre-aggregated figures once (desk/services.py) and prints how long that took: the cost of each run
of the scheduled refresh at that size. For each role (account manager, supervisor, branch head,
service desk) it requests the desk page as that user through Django's test client, and prints the
median time of the whole page (view, selectors, template) and its ratio against the baseline: the
same SQL statements the page ran, executed bare on a cursor with their results fetched. A ratio
near 1 says the page's time is its queries; the query count is printed too (it does not grow with
the data: tests/desk/test_role_desks.py).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = (
    ("account manager", "am01"),
    ("supervisor", "sup1"),
    ("branch head", "head1"),
    ("service desk", "desk1"),
)


def timed(run, repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None) -> None:
    from clients_scale import build, parse_args, setup

    args = parse_args(argv)
    setup(args)
    build(args)
    from django.db import connection
    from django.test import Client

    from amdesk.desk.services import desk_figures_refresh
    from amdesk.orgs.models import Staff

    started = time.perf_counter()
    written = desk_figures_refresh()
    print(f"desk figures refresh: {time.perf_counter() - started:.1f} s ({sum(written.values()):,} rows)")
    print(f"\n{args.db}, {args.clients:,} clients: desk page vs the bare SQL it runs")
    print(f"{'desk':<18} {'queries':>7} {'page ms':>9} {'bare SQL ms':>12} {'x baseline':>11}")
    for label, username in ROLES:
        user = Staff.objects.get(username=username)
        web = Client(HTTP_HOST="localhost")
        web.force_login(user)
        statements = []

        def capture(execute, sql, params, many, context, statements=statements):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        web.get("/")
        with connection.execute_wrapper(capture):
            assert web.get("/").status_code == 200
        # Sessions and the like are part of any page: the baseline is every statement the page ran.
        reads = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]

        def bare(reads=reads):
            with connection.cursor() as cursor:
                for sql, params in reads:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        page = timed(lambda web=web: web.get("/"), args.repeat)
        baseline = timed(bare, args.repeat)
        print(
            f"{label:<18} {len(statements):>7} {page * 1000:>9.1f} {baseline * 1000:>12.1f} "
            f"{page / baseline if baseline else 0:>11.1f}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
