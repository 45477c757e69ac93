"""The live server answers one request at a time when it shares the test's in-memory SQLite database.

Django hands every request thread of the live server the test's own connection to an in-memory
SQLite database (there is no other way to reach it). Two requests at once then use one connection
from two threads, and a page that loads two htmx panels together could hang both for good (seen:
the client page's visits panel and attachments panel). Requests on other databases stay parallel.
"""

import threading

from django.test.testcases import LiveServerThread

_ONE_AT_A_TIME = threading.Lock()
_threaded_create_server = LiveServerThread._create_server
# Requests in the application, answered or waiting for the lock: a test's teardown waits for none to
# be left (a page's htmx panels load together; the lock is not fair, so waiting for it once is not
# enough to know that the one still queued behind it has run).
_IN_APP = threading.Condition()
_in_app = 0


def _count(step: int) -> None:
    global _in_app
    with _IN_APP:
        _in_app += step
        _IN_APP.notify_all()


# Each browser test's requests carry the number of its run (RUN_HEADER, set on its browser contexts by
# tests/browser/conftest.py); the teardown moves the number on. A request of a finished test that
# reaches the application late (sent as its page closed, picked up after the teardown looked) is
# refused without touching the database, which is being flushed or already holds the next test.
RUN_HEADER = "X-AMDesk-Test-Run"
_run = [1]


def current_run() -> str:
    return str(_run[0])


def next_run() -> None:
    """Call holding _ONE_AT_A_TIME: requests of the runs before are refused from now on."""
    _run[0] += 1


def wait_for_requests(timeout: float = 30) -> bool:
    """Until no request is in the application (False if some still are after `timeout` seconds)."""
    with _IN_APP:
        return _IN_APP.wait_for(lambda: _in_app == 0, timeout)


class _OneRequestAtATime:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        _count(1)
        _ONE_AT_A_TIME.acquire()
        run = environ.get("HTTP_" + RUN_HEADER.upper().replace("-", "_"))
        if run is not None and run != current_run():
            _ONE_AT_A_TIME.release()
            _count(-1)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"this request belongs to a browser test that has ended"]
        try:
            result = self.app(environ, start_response)
        except BaseException:
            _ONE_AT_A_TIME.release()
            _count(-1)
            raise
        return _ReleasedWhenClosed(result)


class _ReleasedWhenClosed:
    """The response's body, read under the lock too (a streamed export queries as it goes); the WSGI
    server closes it when done, on error as well."""

    def __init__(self, result):
        self.result = result

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            _ONE_AT_A_TIME.release()
            _count(-1)


def _create_server(self, connections_override=None):
    server = _threaded_create_server(self, connections_override=connections_override)
    if connections_override:
        set_app = server.set_app
        server.set_app = lambda app: set_app(_OneRequestAtATime(app))
    return server


LiveServerThread._create_server = _create_server
