r"""An appraisal run at scale: the set-based engine against a plain per-person loop.

    .venv/bin/python bench/appraisal_run.py --ams 100 --db sqlite
    .venv/bin/python bench/appraisal_run.py --ams 1000 --clients-per-am 1000 --visits-per-am 10000 \
        --db postgres

Builds its own data set into its own database (a SQLite file under var/bench/, or the PostgreSQL
database `amdesk_bench_appraisal_<N>`; never the development database), with bulk inserts (COPY on
PostgreSQL): the bank preset, an org of branches and teams of ten, N account managers, their
clients with the book the bank's indicators read (tiers, lifecycles, ownerships, AUM snapshots at
the two month ends, 1–4 holdings each, a few won, lost and handed over in the month:
appraisal_book.py) and their visits (the activity rows: half of them in the appraised month, half in
the month before), and a manual mark per person. A bank scheme of 11 indicators in four criteria
with AHP weights (clients won, visits made, contacts per day; key-client retention, churned key
clients, archive completeness; AUM at the end, AUM growth, cross-sell rate, product coverage; the
supervisor's mark) is scored for the month:

- **engine**: `services.runs.period_run` — every indicator for everyone with one shared context,
  scales, scores, ranks, and the score cards written in bulk;
- **baseline**: a plain loop over the people, each indicator read for one person at a time (the same
  sources with a one-person context, one manual value query each), then the same scales and scores
  computed in Python. It writes nothing, so the comparison favours it.

Both must give every person the same score (asserted); the ratio baseline / engine is printed.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from appraisal_book import INDICATORS, MONTH, build_book, build_scheme

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
BEFORE = date(2026, 4, 1)
TEAM_SIZE = 10
TEAMS_PER_BRANCH = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ams", type=int, default=100, help="account managers appraised")
    parser.add_argument("--clients-per-am", type=int, default=100)
    parser.add_argument(
        "--visits-per-am", type=int, default=200, help="visit rows per AM (half in the month)"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-server", default=PG_SERVER, help="PostgreSQL server URL (no database name)")
    parser.add_argument("--pg-database", help="default: amdesk_bench_appraisal_<ams>")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep the data set an earlier run built (migrate it, drop its periods) instead "
        "of building it again",
    )
    parser.add_argument(
        "--baseline-people",
        type=int,
        help="run the per-person loop for the first N people only, check their values against the "
        "engine's and extrapolate its time to everyone (at the issue's scale the whole loop takes hours)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "var" / "bench", help="where the SQLite file goes"
    )
    return parser.parse_args(argv)


def database_url(args) -> str:
    if args.db == "sqlite":
        path = args.data_dir / f"appraisal_{args.ams}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    args.pg_database = args.pg_database or f"amdesk_bench_appraisal_{args.ams}"
    import psycopg

    with psycopg.connect(f"{args.pg_server}/postgres", autocommit=True) as connection:
        if args.reuse:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [args.pg_database]
            ).fetchone()
            if found:
                return f"{args.pg_server}/{args.pg_database}"
            args.reuse = False  # nothing to reuse: build it
        connection.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}"')
        connection.execute(f'CREATE DATABASE "{args.pg_database}"')
    return f"{args.pg_server}/{args.pg_database}"


def setup(args) -> None:
    os.environ["DATABASE_URL"] = database_url(args)
    os.environ["DJANGO_SETTINGS_MODULE"] = "amdesk.settings.local"
    os.environ["DEBUG"] = "0"  # no query log while loading millions of rows
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def build(args) -> list[int]:
    """The data set; returns the AMs' ids."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from amdesk.core.rows import RowWriter
    from amdesk.orgs.models import Role, Staff
    from amdesk.orgs.services import org_node_create
    from amdesk.presets import preset_apply
    from amdesk.visits.models import Visit

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        preset_apply(actor=None, code="bank")
        writer = RowWriter()
        writer.prepare()
        head = org_node_create(actor=None, name="总行", code="HO", parent=None)
        teams = []
        for n in range((args.ams + TEAM_SIZE - 1) // TEAM_SIZE):
            if n % TEAMS_PER_BRANCH == 0:
                branch = org_node_create(
                    actor=None, name=f"分行{n // TEAMS_PER_BRANCH + 1}", code=f"BR{n}", parent=head
                )
            teams.append(org_node_create(actor=None, name=f"团队{n + 1}", code=f"TM{n}", parent=branch))
        first_staff = writer.reserve_ids(Staff, args.ams)
        ams = list(range(first_staff, first_staff + args.ams))
        node_of = {pk: teams[index // TEAM_SIZE].pk for index, pk in enumerate(ams)}
        writer.write(
            Staff,
            ["id", "username", "employee_no", "full_name", "password", "org_node_id"],
            ((pk, f"bench{pk}", f"B{pk}", f"客户经理{pk}", "!", node_of[pk]) for pk in ams),
        )
        role = Role.objects.get(code="account_manager")
        writer.write(Staff.roles.through, ["staff_id", "role_id"], ((pk, role.pk) for pk in ams))
        writer.finish(Staff)
        zone = timezone.get_current_timezone()
        first_client, book = build_book(
            writer, rng=rng, ams=ams, node_of=node_of, clients_per_am=args.clients_per_am, zone=zone
        )

        def visits():
            for index, pk in enumerate(ams):
                # each AM his own rhythm, so the percentiles have something to spread
                share = 0.3 + 0.7 * rng.random()
                in_month = int(args.visits_per_am * share)
                for n in range(args.visits_per_am):
                    month_start = MONTH if n < in_month else BEFORE
                    day = month_start + timedelta(days=rng.randrange(28))
                    client = first_client + index * args.clients_per_am + rng.randrange(args.clients_per_am)
                    yield (
                        client,
                        pk,
                        node_of[pk],
                        day,
                        datetime(day.year, day.month, day.day, 10, tzinfo=zone),
                    )

        with writer.bulk_load(Visit):
            writer.write(
                Visit, ["client_id", "owner_id", "org_node_id", "visited_on", "started_at"], visits()
            )
        build_scheme(ams, rng)
        writer.analyze()
    # All-visible pages, so both the engine and the baseline can count from an index alone.
    writer.vacuum()
    visits_total = args.ams * args.visits_per_am
    book_rows = ", ".join(f"{count:,} {name}" for name, count in book.items())
    print(
        f"built {args.ams:,} AMs, {args.ams * args.clients_per_am:,} clients ({book_rows}), "
        f"{visits_total:,} visits in {time.perf_counter() - started:.0f} s"
    )
    return ams


def reuse() -> None:
    """The data set an earlier run built, brought up to the current migrations (a new index is
    built here), without the periods and score cards that run left."""
    from django.core.management import call_command
    from django.db import connection

    from amdesk.appraisal.models import AppraisalPeriod, Indicator, ScoreCard

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Indicator.objects.filter(code="b-aum").exists():
        raise SystemExit("the data set predates the client book (AUM, holdings, tiers…): build it again")
    ScoreCard.objects.filter(period__version__scheme__code="bench").delete()
    AppraisalPeriod.objects.filter(version__scheme__code="bench").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"reused the data set (migrated and vacuumed in {time.perf_counter() - started:.0f} s)")


# --- the baseline: one person at a time ------------------------------------------------------------


def _percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return Decimal(0)
    rank = Decimal(p) / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return (ordered[low] + (ordered[high] - ordered[low]) * (rank - low)).quantize(
        Decimal("0.0001"), ROUND_HALF_UP
    )


def _mu(value, low, high, better):
    if low == high:
        return 0.5 if value == low else (1.0 if (value > low) == better else 0.0)
    mu = min(max((float(value) - float(low)) / (float(high) - float(low)), 0.0), 1.0)
    return mu if better else 1.0 - mu


def baseline(period, limit: int | None = None):
    """Every person's score, by the loop; with `limit`, only the values of the first `limit` people
    ({scheme indicator id: {staff id: value}}: the scales need everyone's)."""
    from amdesk.appraisal import sources
    from amdesk.appraisal.models import ManualValue, SchemeIndicator
    from amdesk.orgs.models import Staff

    items = list(
        SchemeIndicator.objects.filter(criterion__version=period.version).select_related(
            "criterion", "indicator"
        )
    )
    people = Staff.objects.filter(status="active", roles__code="account_manager").values_list("pk", flat=True)
    if limit:
        people = people.order_by("pk")[:limit]
    values: dict[int, dict[int, Decimal | None]] = {item.pk: {} for item in items}
    for pk in people:
        for item in items:
            indicator = item.indicator
            if indicator.is_manual:
                found = ManualValue.objects.filter(
                    indicator=indicator, staff_id=pk, period_start=period.start, period_end=period.end
                ).first()
                values[item.pk][pk] = found.value if found else None
            else:
                source = sources.get_source(indicator.source)
                ctx = sources.Context(staff_ids=[pk], start=period.start, end=period.end)
                values[item.pk][pk] = source.compute(ctx, source.resolved_params(indicator.params)).get(
                    pk, source.empty
                )
    if limit:
        return values
    scales = {}
    for item in items:
        if item.point_mode == "fixed":
            scales[item.pk] = (item.low, item.high)
        else:
            present = [value for value in values[item.pk].values() if value is not None]
            scales[item.pk] = (
                _percentile(present, item.low_percentile),
                _percentile(present, item.high_percentile),
            )
    scores = {}
    for pk in people:
        present = [item for item in items if values[item.pk][pk] is not None]
        total_weight = sum(item.weight * item.criterion.weight for item in present)
        total = 0.0
        for item in present:
            low, high = scales[item.pk]
            weight = item.weight * item.criterion.weight / total_weight
            total += 100.0 * _mu(values[item.pk][pk], low, high, item.indicator.higher_is_better) * weight
        scores[pk] = Decimal(repr(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return scores


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.reuse and args.db != "postgres":
        raise SystemExit("--reuse keeps a PostgreSQL data set; SQLite builds its file again")
    setup(args)
    if args.reuse:
        reuse()
    else:
        build(args)
    from django.db import connection

    from amdesk.appraisal.models import Scheme, ScoreCard
    from amdesk.appraisal.services.runs import period_open, period_run

    period = period_open(actor=None, scheme=Scheme.objects.get(code="bench"), start=MONTH)
    started = time.perf_counter()
    period_run(actor=None, period=period)
    engine = time.perf_counter() - started
    print(f"engine, period_run (stores the cards too): {engine:.2f} s", flush=True)
    indicators = sum(len(rows) for rows in INDICATORS.values())
    if args.baseline_people:
        sampled(period, args.baseline_people, engine, indicators)
        return
    started = time.perf_counter()
    expected = baseline(period)
    loop = time.perf_counter() - started
    scores = dict(ScoreCard.objects.filter(period=period).values_list("staff_id", "score"))
    different = {pk for pk in expected if scores.get(pk) != expected[pk]}
    assert not different and len(scores) == len(expected), f"{len(different)} scores differ from the baseline"
    print(f"\n{connection.vendor}, {len(scores):,} account managers, {indicators} indicators")
    print(f"baseline, per-person loop: {loop:.2f} s")
    print(
        f"same scores for all {len(scores):,} people; engine is {loop / engine:.1f}x faster than the baseline"
    )


def sampled(period, limit: int, engine: float, indicators: int) -> None:
    """The loop over the first `limit` people: their values must be the engine's raw values; its time
    is extrapolated to everyone (the loop's cost is per person, so linear in the people)."""
    from django.db import connection

    from amdesk.appraisal.models import IndicatorResult, ScoreCard

    started = time.perf_counter()
    values = baseline(period, limit)
    loop = time.perf_counter() - started
    stored = {
        (staff, item): raw
        for staff, item, raw in IndicatorResult.objects.filter(card__period=period).values_list(
            "card__staff_id", "scheme_indicator_id", "raw_value"
        )
    }
    checked = [(staff, item, value) for item, found in values.items() for staff, value in found.items()]
    different = [row for row in checked if stored.get(row[:2]) != row[2]]
    assert not different, f"{len(different)} values differ from the engine's, e.g. {different[:3]}"
    people = ScoreCard.objects.filter(period=period).count()
    estimate = loop * people / limit
    print(f"\n{connection.vendor}, {people:,} account managers, {indicators} indicators")
    print(
        f"baseline, per-person loop: {loop:.2f} s for {limit} people, "
        f"~{estimate:.1f} s for all (extrapolated)"
    )
    print(
        f"same values for the {limit} people looped ({len(checked):,} values); "
        f"engine is ~{estimate / engine:.0f}x faster than the baseline (extrapolated)"
    )


if __name__ == "__main__":
    main()
