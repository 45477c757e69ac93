"""bench/desks.py runs once at a tiny size in the suite (see test_benchmarks.py): it finishes and prints
each role's ratio; its figures are judged in bench/README.md's runs, never here."""

import os

import pytest

from tests.bench.test_benchmarks import ON_POSTGRES, _drop_database, run_bench

pytestmark = pytest.mark.bench


def test_desk_benchmark_times_each_role_against_its_bare_queries(tmp_path):
    database = f"amdesk_bench_desks_suite_{os.getpid()}"
    db = ["--db", "postgres", "--pg-database", database] if ON_POSTGRES else []
    try:
        out = run_bench(
            "desks.py", "--clients", "300", "--repeat", "1", "--no-progress", "--data-dir", str(tmp_path), *db
        )
        assert "desk page vs the bare SQL it runs" in out
        for role in ("account manager", "supervisor", "branch head", "service desk"):
            assert role in out
    finally:
        if ON_POSTGRES:
            _drop_database(database)
