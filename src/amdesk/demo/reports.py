"""Demo data of the reports capability (filled in by the reports work)."""

from datetime import date
from random import Random


def build_reports(*, rng: Random, today: date) -> None:
    return None
