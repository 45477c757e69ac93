"""Schemathesis over the published OpenAPI schema (`/api/schema/`), in-process against the WSGI
application, on demo-like data: no request the schema allows answers 500.

Bounded to a few minutes on a 2-core machine: a fixed number of examples per operation, generated
deterministically (derandomized, no example database), no shrinking. Read-only methods run with the
tokens of four roles; every unsafe method (POST, PUT, PATCH, DELETE) runs once more with an account
manager's token, after the reads. Nothing is skipped: the only operations run last are those that
end the caller's own token (`DELETE /api/v1/auth/tokens/{pk}/`), so that they cannot cut the run
short, and a 401 after them is re-issued a token, not counted as a finding.

A finding names the operation, the request (as curl) and the server's exception, all of them at
once. Set AMDESK_SCHEMATHESIS_READS and AMDESK_SCHEMATHESIS_WRITES to run more examples by hand.
"""

import os
import traceback
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from amdesk.accounts.services import api_token_issue  # noqa: E402
from amdesk.orgs.models import Staff  # noqa: E402
from amdesk.surveys.models import SurveyRound  # noqa: E402
from tests.clients.factories import make_client, make_corporate  # noqa: E402
from tests.orgs.factories import PASSWORD  # noqa: E402
from tests.planning.factories import review, write_log  # noqa: E402
from tests.service.factories import open_ticket, resolved_ticket  # noqa: E402
from tests.surveys.factories import make_round  # noqa: E402
from tests.visits.factories import record_visit  # noqa: E402

# The demo is built for a fixed Monday, and the clock is frozen on it (at 10:00 local time).
TODAY = date(2026, 11, 16)
NOW = timezone.make_aware(datetime(2026, 11, 16, 10, 0))

# Examples per operation: for each reading role, and for the writer.
READS = int(os.environ.get("AMDESK_SCHEMATHESIS_READS", "5"))
WRITES = int(os.environ.get("AMDESK_SCHEMATHESIS_WRITES", "20"))
READ_ROLES = ["am", "sup", "head", "sysadmin"]
WRITER = "am"
SAFE = {"GET", "HEAD", "OPTIONS"}
# The caller's own token ends with these: they run after everything else.
LAST = {("DELETE", "/api/v1/auth/tokens/{pk}/")}


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept inside the test's transaction: Django closes "old" connections
    when a request starts and finishes, which would end the test's transaction (its own test client
    disconnects the same receiver)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def data(account_manager, team2_manager, other_manager, supervisor, branch_head, admin):
    """Demo-like data of the small org (tests/conftest.py): clients personal and corporate with
    visits, open and resolved tickets, a reviewed work log and a survey round with invitations.
    (The demo builder itself takes minutes on this machine.)"""
    with time_machine.travel(NOW, tick=False):
        mine = [
            make_client(account_manager, "王小明"),
            make_corporate(account_manager),
            make_client(account_manager),
        ]
        theirs = [make_client(team2_manager, "李四"), make_client(other_manager, "赵敏")]
        for client in mine[:2]:
            record_visit(account_manager, client, TODAY - timedelta(days=3))
        open_ticket(account_manager, mine[0])
        resolved_ticket(account_manager, mine[1])
        open_ticket(other_manager, theirs[1], ticket_type="consultation")
        review(supervisor, write_log(account_manager, submit=True))
        make_round(admin, start=date(2026, 10, 1), target=SurveyRound.Target.VISITED)
    return mine + theirs


@pytest.fixture
def crashes():
    """The server's exceptions, in order (the 500 page says nothing of them)."""
    seen: list[str] = []

    def record(sender, request=None, **kwargs):
        seen.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(record, weak=False)
    yield seen
    got_request_exception.disconnect(record)
    cache.clear()  # the fuzzed sign-ins' throttle counts, which live in the cache, not the database


def _token(app, username: str, password: str) -> str:
    from werkzeug.test import Client

    response = Client(app).post(
        "/api/v1/auth/token/",
        json={"username": username, "password": password},
        headers={"Host": "localhost"},
    )
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
    return response.get_json()["token"]


def _ids() -> list[int]:
    """Ids that exist (of the demo's clients, visits, tickets, documents…): path parameters are
    drawn from them half of the time, so that detail views and actions reach real rows."""
    from django.apps import apps

    found: set[int] = set()
    for label in ("clients", "visits", "service", "surveys", "planning", "orgs"):
        for model in apps.get_app_config(label).get_models():
            found.update(model.objects.order_by("pk").values_list("pk", flat=True)[:8])
    return sorted(pk for pk in found if isinstance(pk, int))


def _run(operation, *, examples, headers, ids, findings, crashes, reissue, answered):
    strategy = operation.as_strategy()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, pk=st.one_of(st.none(), st.sampled_from(ids)))
    def check(case, pk):
        if pk is not None and case.path_parameters:
            for name in case.path_parameters:
                case.path_parameters[name] = pk
        before = len(crashes)
        response = case.call(headers=headers())
        if response.status_code == 401:
            reissue()
            response = case.call(headers=headers())
        answered.setdefault(operation.label, set()).add(response.status_code)
        if response.status_code >= 500:
            findings.append(
                f"{operation.label} → {response.status_code}\n  {case.as_curl_command()}\n"
                + "".join(crashes[before:])
            )
        elif response.status_code < 300:
            # What the API answers is what its schema says (types, required and nullable fields).
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except FailureGroup as group:
                findings.extend(
                    f"{operation.label}: the answer breaks the schema: {failure.title}\n{failure.message}"
                    for failure in group.exceptions
                )

    check()


def test_no_request_the_schema_allows_answers_500(data, wsgi_app, crashes):

    with time_machine.travel(NOW, tick=False):
        schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 100, "the schema lost its operations"
        ids = _ids()
        password = PASSWORD
        tokens = {name: _token(wsgi_app, name, password) for name in READ_ROLES}
        findings: list[str] = []
        answered: dict[str, set[int]] = {}

        def as_role(name):
            def headers():
                return {"Authorization": f"Token {tokens[name]}", "Accept-Language": "zh-hans"}

            def reissue():
                # The fuzzed sign-ins before may have throttled this address: the service issues it.
                tokens[name] = api_token_issue(user=Staff.objects.get(username=name))[1]

            return headers, reissue

        reads = [op for op in operations if op.method.upper() in SAFE]
        writes = [op for op in operations if op.method.upper() not in SAFE]
        writes.sort(key=lambda op: (op.method.upper(), op.path) in LAST)
        for name in READ_ROLES:
            headers, reissue = as_role(name)
            for operation in reads:
                _run(
                    operation,
                    examples=READS,
                    headers=headers,
                    ids=ids,
                    findings=findings,
                    crashes=crashes,
                    reissue=reissue,
                    answered=answered,
                )
        headers, reissue = as_role(WRITER)
        for operation in writes:
            _run(
                operation,
                examples=WRITES,
                headers=headers,
                ids=ids,
                findings=findings,
                crashes=crashes,
                reissue=reissue,
                answered=answered,
            )

    distinct = list(dict.fromkeys(findings))
    assert not distinct, f"{len(distinct)} findings:\n\n" + "\n\n".join(distinct[:30])
    # The run reached the views: every operation answered, the tokens worked, reads found data and
    # some writes succeeded (generated dates mostly fall outside core.limits: those are 400s).
    assert len(answered) == len(operations)
    assert answered["GET /api/v1/me/"] == {200}
    read_ok = [op.label for op in reads if 200 in answered[op.label]]
    assert len(read_ok) > len(reads) / 3, sorted(map(str, answered.items()))
    assert any(code < 300 for op in writes for code in answered[op.label])
