"""Render one desk card as a user's desk would (for tests of one app's card)."""

from django.template.loader import render_to_string
from django.utils import timezone

from amdesk.desk.cards import CARDS
from amdesk.desk.selectors import Desk


def card_html(code: str, user, *, today=None) -> str:
    card = next(card for card in CARDS if card.code == code)
    desk = Desk(user, today=today or timezone.localdate())
    return render_to_string(card.template, {"card": card, "desk": desk})
