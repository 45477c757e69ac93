"""The public rating page: no login, a greeting only, one use, expiry, unknown links, a rate limit."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from amdesk.service.models import RatingLink, ServiceSettings, Ticket
from amdesk.service.services import ticket_rating_link_issue
from tests.clients.factories import make_client
from tests.service.factories import resolved_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    """The rate limit counts in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rated_link(account_manager):
    client = make_client(account_manager, "王建国", mobile="13912345678")
    type(client).objects.filter(pk=client.pk).update(gender="male")  # (the ID number may say otherwise)
    ticket = resolved_ticket(account_manager, client, subject="理财到期款延迟到账")
    token, _link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    return ticket, token


def test_the_client_rates_without_signing_in_and_sees_a_greeting_only(rated_link):
    ticket, token = rated_link
    browser = Client()  # nobody signed in
    page = browser.get(f"/service/rate/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "王先生" in html
    # nothing else of the client or the ticket: no full name, mobile, subject, number, staff
    for private in (
        "王建国",
        "13912345678",
        "5678",
        "理财到期款延迟到账",
        ticket.number,
        ticket.owner.full_name,
    ):
        assert private not in html, private
    assert "/accounts/login/" not in html  # not the signed-in shell either
    response = browser.post(f"/service/rate/{token}/", {"score": "5", "comment": "处理得很及时"})
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.rated_via, ticket.rating_comment) == (5, "link", "处理得很及时")
    assert ticket.rated_by is None and RatingLink.objects.get().used_at is not None


def test_a_link_works_once(rated_link):
    ticket, token = rated_link
    Client().post(f"/service/rate/{token}/", {"score": "4"})
    again = Client().get(f"/service/rate/{token}/")
    assert again.status_code == 410 and "此链接已使用" in again.content.decode()
    second = Client().post(f"/service/rate/{token}/", {"score": "1"})
    assert second.status_code == 410
    ticket.refresh_from_db()
    assert ticket.satisfaction == 4


def test_an_expired_link_says_so(rated_link, time_machine):
    ticket, token = rated_link
    hours = ServiceSettings.current().rating_link_hours
    time_machine.move_to(timezone.now() + timedelta(hours=hours, minutes=1))
    page = Client().get(f"/service/rate/{token}/")
    assert page.status_code == 410 and "此链接已过期" in page.content.decode()
    Client().post(f"/service/rate/{token}/", {"score": "5"})
    ticket.refresh_from_db()
    assert ticket.satisfaction is None


def test_an_unknown_link_says_so(rated_link):
    page = Client().get("/service/rate/not-a-real-token/")
    assert page.status_code == 404 and "链接无效" in page.content.decode()


def test_a_missing_score_keeps_the_comment_and_does_not_use_the_link(rated_link):
    ticket, token = rated_link
    page = Client().post(f"/service/rate/{token}/", {"comment": "柜员很耐心"})
    html = page.content.decode()
    assert page.status_code == 200 and "请选择一到五颗星" in html and "柜员很耐心" in html
    assert RatingLink.objects.get().used_at is None
    ticket.refresh_from_db()
    assert ticket.satisfaction is None


def test_too_many_requests_from_one_address_are_refused(rated_link):
    ticket, token = rated_link
    settings = ServiceSettings.current()
    settings.rating_rate_limit = 3
    settings.save()
    browser = Client()
    for _attempt in range(3):
        assert browser.get(f"/service/rate/guess-{_attempt}/").status_code == 404
    refused = browser.get(f"/service/rate/{token}/")
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode()
    # another address is not held back
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"/service/rate/{token}/").status_code == 200
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.RESOLVED and ticket.satisfaction is None


def test_the_refusal_says_when_to_come_back(rated_link, time_machine):
    _ticket, token = rated_link
    settings = ServiceSettings.current()
    settings.rating_rate_limit, settings.rating_rate_window_seconds = 1, 60
    settings.save()
    # Given a clock 20 seconds into a one-minute window
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    time_machine.move_to(start + timedelta(seconds=20), tick=False)
    phone = Client()
    assert phone.get(f"/service/rate/{token}/").status_code == 200
    # When the second request of the window is refused, it says the 40 seconds left
    refused = phone.get(f"/service/rate/{token}/")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"
    # … and after them the page opens again
    time_machine.move_to(start + timedelta(seconds=60), tick=False)
    assert phone.get(f"/service/rate/{token}/").status_code == 200


def _csrf_token(html: str) -> str:
    import re

    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the form has no CSRF token"
    return found.group(1)


def test_the_client_rates_through_the_real_csrf_check(rated_link):
    """As a phone's browser does it: the page sets the CSRF cookie, the form posts its token back."""
    ticket, token = rated_link
    phone = Client(enforce_csrf_checks=True)
    page = phone.get(f"/service/rate/{token}/")
    assert page.status_code == 200 and "csrftoken" in phone.cookies
    # without the token the post is refused and nothing is recorded
    refused = Client(enforce_csrf_checks=True).post(f"/service/rate/{token}/", {"score": "5"})
    assert refused.status_code == 403
    ticket.refresh_from_db()
    assert ticket.satisfaction is None and RatingLink.objects.get().used_at is None
    response = phone.post(
        f"/service/rate/{token}/",
        {"score": "5", "comment": "很满意", "csrfmiddlewaretoken": _csrf_token(page.content.decode())},
    )
    assert response.status_code == 200 and 'data-testid="rate-thanks"' in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.rated_via, ticket.rating_comment) == (5, "link", "很满意")


def test_posts_count_toward_the_limit_and_the_window_passes(rated_link, time_machine):
    ticket, token = rated_link
    settings = ServiceSettings.current()
    settings.rating_rate_limit, settings.rating_rate_window_seconds = 2, 60
    settings.save()
    time_machine.move_to(timezone.now(), tick=False)
    phone = Client()
    assert phone.get(f"/service/rate/{token}/").status_code == 200
    assert phone.post(f"/service/rate/{token}/", {}).status_code == 200  # no score: asked again
    # the third request within the window is refused, a rating too, and the link stays unused
    refused = phone.post(f"/service/rate/{token}/", {"score": "2"})
    assert refused.status_code == 429 and 'data-reason="limited"' in refused.content.decode()
    ticket.refresh_from_db()
    assert ticket.satisfaction is None and RatingLink.objects.get().used_at is None
    # a window later the same caller may rate
    time_machine.move_to(timezone.now() + timedelta(seconds=61), tick=False)
    assert phone.post(f"/service/rate/{token}/", {"score": "4"}).status_code == 200
    ticket.refresh_from_db()
    assert ticket.satisfaction == 4
