"""The inbox counts match independent queries for an account manager, a supervisor and the appraisal
admin, and never show another team's items."""

import pytest
from django.utils import timezone

from amdesk.appraisal.models import AppraisalPeriod, LadderProposal
from amdesk.notifications.inbox import inbox_counts, inbox_sections
from amdesk.notifications.producers.common import document_models
from amdesk.notifications.selectors import nav_counts
from amdesk.planning.models import WorkLog
from amdesk.planning.workflow import DocState
from amdesk.service.models import Ticket, TicketState
from tests.planning.factories import last_working_day, review, write_log
from tests.service.factories import open_ticket, walk


@pytest.fixture
def world(frozen, account_manager, team2_manager, other_manager, supervisor, other_supervisor):
    today = timezone.localdate()
    # the AM: a returned log, a draft due today
    returned = write_log(account_manager, day=last_working_day(), submit=True)
    review(supervisor, returned, accept=False, comment="补充")
    write_log(account_manager, day=today)
    # submitted logs of both teams
    write_log(team2_manager, day=last_working_day(), submit=True)
    write_log(other_manager, day=last_working_day(), submit=True)
    # tickets awaiting approval in both teams
    for owner in (account_manager, other_manager):
        walk(open_ticket(owner), owner, "give_first_feedback", "investigate", "request_approval")
    return today


def _submitted_for(viewer_node_paths_q):
    return sum(
        m.objects.filter(viewer_node_paths_q, state=DocState.SUBMITTED).count() for m in document_models()
    )


def test_account_manager(world, account_manager):
    counts = inbox_counts(account_manager, today=world)
    mine = WorkLog.objects.filter(owner=account_manager)
    assert counts.get("my_documents_returned") == mine.filter(state=DocState.RETURNED).count() == 1
    assert counts.get("my_documents_due") == mine.filter(state=DocState.DRAFT).count() == 1
    # an account manager reviews and approves nothing
    assert not {"documents_to_read", "tickets_to_approve", "schedules_to_review"} & counts.keys()


def test_supervisor_sees_his_teams_only(world, supervisor, other_supervisor, team2_manager, other_manager):
    counts = inbox_counts(supervisor, today=world)
    team_nodes = [supervisor.org_node_id, team2_manager.org_node_id]
    assert (
        counts["documents_to_read"]
        == (WorkLog.objects.filter(state=DocState.SUBMITTED, org_node_id__in=team_nodes).count())
        == 1
    )
    assert (
        counts["tickets_to_approve"]
        == (Ticket.objects.filter(state=TicketState.AWAITING_APPROVAL, org_node_id__in=team_nodes).count())
        == 1
    )
    # the other supervisor sees his own team's, and none of these
    other = inbox_sections(other_supervisor, today=world, limit=10)
    by_code = {s.code: s for s in other}
    assert by_code["documents_to_read"].count == 1
    assert {item.who for item in by_code["documents_to_read"].items} == {other_manager.get_full_name()}
    assert by_code["tickets_to_approve"].count == 1
    mine = inbox_sections(supervisor, today=world, limit=10)
    who = {item.who for section in mine for item in section.items if item.who}
    assert other_manager.get_full_name() not in who


def test_appraisal_admin(world, appraisal_admin):
    counts = inbox_counts(appraisal_admin, today=world)
    assert counts.get("ladder_proposals", 0) == LadderProposal.objects.filter(state="pending").count()
    assert counts.get("periods_to_approve", 0) == AppraisalPeriod.objects.filter(state="computed").count()
    # he reviews nobody's documents or tickets
    assert not {"documents_to_read", "tickets_to_approve"} & counts.keys()


def test_nav_counts_fixed_queries_and_cached(world, supervisor, team2_manager, django_assert_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Given the first computation in a minute pays a fixed number of queries…
    with CaptureQueriesContext(connection) as first:
        figures = nav_counts(type(supervisor).objects.get(pk=supervisor.pk))
    assert figures["inbox"] == sum(inbox_counts(supervisor, today=world).values())
    assert len(first.captured_queries) <= 20
    # …that more data does not change
    cache.clear()
    write_log(team2_manager, day=last_working_day(last_working_day()), submit=True)
    walk(open_ticket(team2_manager), team2_manager, "give_first_feedback", "investigate", "request_approval")
    with django_assert_num_queries(len(first.captured_queries)):
        again = nav_counts(type(supervisor).objects.get(pk=supervisor.pk))
    assert again["inbox"] == figures["inbox"] + 2
    # Then a page view within the minute costs nothing
    with django_assert_num_queries(0):
        nav_counts(supervisor)


def test_context_processor_never_queries(world, supervisor, rf, django_assert_num_queries):
    from amdesk.notifications.context_processors import nav

    request = rf.get("/")
    request.user = supervisor
    with django_assert_num_queries(0):
        assert nav(request) == {"nav_notifications": None}  # not cached: the page loads them later
    figures = nav_counts(supervisor)
    with django_assert_num_queries(0):
        assert nav(request) == {"nav_notifications": figures}
