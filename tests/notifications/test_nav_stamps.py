"""The navigation's cached counts follow an action elsewhere at once: an audited change makes the
figures of the people it concerns stale (the actor, the record's owner, whoever oversees its node),
not those of anyone else; reading the cached figures still costs no query."""

import pytest
from django.core.cache import cache

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.notifications import stamps
from amdesk.notifications.selectors import nav_counts, nav_counts_cached
from tests.planning.factories import last_working_day, review, write_log


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def cached(frozen, account_manager, supervisor, other_supervisor, other_manager):
    people = [account_manager, supervisor, other_supervisor, other_manager]
    figures = {person.pk: nav_counts(_fresh(person)) for person in people}
    assert all(nav_counts_cached(person) is not None for person in people)
    return figures


def test_a_log_handed_in_makes_the_supervisors_counts_stale_at_once(
    cached, account_manager, supervisor, other_supervisor, django_capture_on_commit_callbacks
):
    # When the account manager hands in a log (the service audits it; the stamps move on commit)
    with django_capture_on_commit_callbacks(execute=True):
        log = write_log(account_manager, day=last_working_day(), submit=True)
    # Then his supervisor's figures are stale, and the next computation counts the log to read
    assert nav_counts_cached(supervisor) is None
    assert nav_counts(_fresh(supervisor))["inbox"] == cached[supervisor.pk]["inbox"] + 1
    # his own figures too (he acted); another team's supervisor keeps his
    assert nav_counts_cached(account_manager) is None
    assert nav_counts_cached(other_supervisor) == cached[other_supervisor.pk]

    # When the supervisor returns it, the account manager's figures go stale (he owns it)
    nav_counts(_fresh(account_manager))
    with django_capture_on_commit_callbacks(execute=True):
        review(supervisor, log, accept=False, comment="补充客户名单")
    assert nav_counts_cached(account_manager) is None
    assert nav_counts(_fresh(account_manager))["inbox"] >= 1


def test_a_change_of_a_record_in_no_org_node_makes_everyones_stale(
    cached, account_manager, other_manager, django_capture_on_commit_callbacks
):
    from amdesk.planning.models import PlanningSettings

    with django_capture_on_commit_callbacks(execute=True):
        audit_record(event=AuditEvent.VISIT_SETTINGS_CHANGED, actor=None, target=PlanningSettings.current())
    assert nav_counts_cached(account_manager) is None
    assert nav_counts_cached(other_manager) is None


def test_reading_cached_figures_never_queries(cached, supervisor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert nav_counts_cached(supervisor) == cached[supervisor.pk]
    # a stamp gone from the cache (evicted) only makes the figures stale
    cache.delete(stamps.user_key(supervisor.pk))
    stamps.bump(user_ids=[supervisor.pk])
    with django_assert_num_queries(0):
        assert nav_counts_cached(supervisor) is None


def test_the_stamps_of_a_node_cover_the_nodes_above_it(org):
    paths = stamps._ancestors(org.tm1.path)
    assert paths[-1] == org.tm1.path and all(org.tm1.path.startswith(path) for path in paths)
    assert len(paths) == org.tm1.path.count("/")


def test_the_lazy_nav_request_only_reads_and_is_idempotent(frozen, account_manager, supervisor, client_for):
    """Every page whose user has no cached counts loads them after it (GET notifications:nav): that
    request writes nothing but the session (not even a first settings row), answers the same twice,
    and the second time from the cache with a handful of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    write_log(account_manager, day=last_working_day(), submit=True)
    page = client_for(supervisor)
    page.get("/")  # the session is settled
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        one = page.get("/notifications/nav/")
    writes = [
        q["sql"]
        for q in first.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert one.status_code == 200 and writes == []
    with CaptureQueriesContext(connection) as second:
        two = page.get("/notifications/nav/")
    assert two.content == one.content
    assert len(second.captured_queries) < len(first.captured_queries)
    assert b'data-testid="nav-inbox-count">1<' in one.content
