"""Demo data of the inbox and notification centre (filled in by that work)."""

from datetime import date
from random import Random


def build_notifications(*, rng: Random, today: date) -> None:
    return None
