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
