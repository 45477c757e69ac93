"""Every benchmark runs once at a tiny size, so none of them rots between the runs that measure.

They run as the scripts they are (a process of their own, their own database), and what is checked
is that they finish and print their report, not their figures: speed is judged in bench/README.md's
runs at full size, never in the suite.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

pytestmark = pytest.mark.bench


def run_bench(script: str, *args: str, timeout: int = 600) -> str:
    # The script chooses its own database and settings, never the suite's.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_client_list_benchmark_builds_its_data_set_and_reuses_it(tmp_path):
    db = ["--db", "postgres", "--pg-database", f"amdesk_bench_suite_{os.getpid()}"] if ON_POSTGRES else []
    common = ["--clients", "300", "--repeat", "1", "--no-progress", "--data-dir", str(tmp_path), *db]
    try:
        first = run_bench("clients_scale.py", *common)
        assert "amdesk demo --clients 300" in first
        assert "baseline, 50 clients by primary key" in first
        assert "Search-box plans" in first

        # Given the data set it built (the demo adds a few clients of its own), when run again
        # with --reuse, then it measures the same data set instead of refusing it.
        again = run_bench("clients_scale.py", *common, "--reuse")
        assert "reusing the data set of 300 clients" in again
        assert "baseline, 50 clients by primary key" in again
    finally:
        if ON_POSTGRES:
            _drop_database(f"amdesk_bench_suite_{os.getpid()}")


def test_appraisal_run_benchmark_scores_like_the_per_person_loop(tmp_path):
    database = f"amdesk_bench_appraisal_suite_{os.getpid()}"
    db = ["--db", "postgres", "--pg-database", database] if ON_POSTGRES else []
    try:
        out = run_bench(
            "appraisal_run.py", "--ams", "12", "--clients-per-am", "3", "--visits-per-am", "6",
            "--data-dir", str(tmp_path), *db,
        )  # fmt: skip
        # The engine and the loop gave every person the same score, and the ratio is printed.
        assert "same scores for all 12 people" in out
        assert "faster than the baseline" in out
    finally:
        if ON_POSTGRES:
            _drop_database(database)


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="the import benchmark compares with PostgreSQL's COPY: it runs in the suite's PostgreSQL pass",
)
def test_import_benchmark_runs_every_comparison(tmp_path):
    out = run_bench(
        "import_clients.py",
        "--rows",
        "200",
        "--die-rows",
        "200",
        "--xlsx",
        "--pg-database",
        f"amdesk_bench_import_suite_{os.getpid()}",
        "--work-dir",
        str(tmp_path / "work"),
        "--timeout",
        "300",
        timeout=900,
    )
    # Given a demo organisation with tickets and follow-up plans that protect its clients, the set-up
    # still empties the archive; then each comparison of the report ran.
    assert "== 200 rows ==" in out
    assert "== Summary: PostgreSQL" in out
    assert "did not finish" not in out
    for run in ("COPY", "die", "again"):
        assert run in out


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
