"""Ladder moves at period close (being built: the ladder part replaces this module)."""


def ladder_propose(*, period, actor) -> list:
    """Propose promotions and demotions for the people of an approved period (see LadderRule)."""
    return []
