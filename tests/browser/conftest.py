"""Browser tests: Playwright driving Debian's Chromium (browsers cannot be downloaded here)."""

import os
from datetime import datetime
from pathlib import Path

import pytest

import tests.live_server  # noqa: F401  (one request at a time on the shared in-memory SQLite database)
from tests.clock import LOCAL_ZONE

CHROMIUM = Path(os.environ.get("AMDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser test skipped: {CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the same
    # test (fixtures, assertions) would otherwise be refused as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield _SameClockBrowser(browser)
        browser.close()


class _SameClockBrowser:
    """The browser, whose pages live in the application's zone and, when the suite runs with a faked
    clock (`pytest --clock=23:30`), at the same faked time as the server: a countdown the page
    computes from a deadline the server sent then agrees with the server."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        from tests.live_server import RUN_HEADER, current_run

        options.setdefault("timezone_id", str(LOCAL_ZONE))
        # the test's requests carry its run: the live server refuses them once it has ended
        options["extra_http_headers"] = {**options.get("extra_http_headers", {}), RUN_HEADER: current_run()}
        context = self._browser.new_context(**options)
        if _clock_is_faked():
            context.clock.install(time=datetime.now(LOCAL_ZONE))
        return context


@pytest.fixture(autouse=True)
def _nav_counts_with_the_page(settings):
    """The navigation's counts are rendered with each page, not loaded by a request after it: a
    request trailing a page could meet the test's own queries on the shared in-memory SQLite database
    ("database table is locked"). The lazy path has its own tests (tests/notifications)."""
    settings.AMDESK_NAV_COUNTS_INLINE = True


@pytest.fixture(autouse=True)
def _no_request_in_flight_at_teardown(browser):
    """The database is flushed after a browser test: first close the pages the test left open and
    wait for the request the live server may still be answering (an htmx panel a page began loading
    as the test ended). Flushing beside it failed with "database table is locked" on the shared
    in-memory SQLite database and left rows behind for the next test. pytest-django's database
    fixture is set up before this one (a plugin's autouse fixture), so it is torn down after."""
    before = set(browser.contexts)
    yield
    for context in set(browser.contexts) - before:
        context.close()
    from tests.live_server import _ONE_AT_A_TIME, next_run, wait_for_requests

    # every page loads the navigation's counts after it when they are not cached (notifications:nav):
    # wait for all the requests in the application, the one being answered and those queued behind it
    wait_for_requests()
    with _ONE_AT_A_TIME:  # the request being answered, if any, has finished
        next_run()  # and one of this test arriving late is refused


def _clock_is_faked() -> bool:
    """True while time-machine travels: the whole suite (`--clock`) or the test itself."""
    import time_machine

    return time_machine.escape_hatch.is_travelling()


@pytest.fixture
def page(browser):
    # 1366×768: the laptops of most outlets.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
