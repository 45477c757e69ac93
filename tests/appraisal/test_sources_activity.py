"""Sources over visits, service tickets, surveys, plans, logs and training: June 2026, by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.appraisal.models import TrainingAttendance, TrainingSession
from amdesk.appraisal.sources import Context, compute_source
from amdesk.core import calendar
from amdesk.orgs.models import Staff
from amdesk.planning.models import PerformanceItem, TargetLine, TargetSheet
from amdesk.service.models import Ticket
from amdesk.surveys.models import SurveyResponse
from amdesk.visits.models import ScheduleEntry, VisitSchedule
from amdesk.visits.selectors.kpis import visit_kpis
from tests.appraisal.library_helpers import at, created_on, run
from tests.clients.factories import make_client
from tests.planning.factories import register, write_log
from tests.service.factories import open_ticket
from tests.surveys.factories import answer, invitation_of, make_round
from tests.visits.factories import record_visit

pytestmark = pytest.mark.usefixtures("frozen")
JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture
def frozen():
    with time_machine.travel(date(2026, 7, 15), tick=False):
        yield


def _june_working_days(since: date = JUNE[0]) -> int:
    return sum(
        1 for n in range(30) if (day := JUNE[0] + timedelta(days=n)) >= since and calendar.is_working_day(day)
    )


@pytest.fixture
def visited(account_manager):
    key = make_client(account_manager, name="重点", tier="key", lifecycle="won")
    ordinary = make_client(account_manager, name="一般", tier="ordinary", lifecycle="won")
    for client in (key, ordinary):
        created_on(client, date(2026, 5, 1))
    # The key client is due 30 // 7 = 4 visits and has them; the ordinary one 30 // 14 = 2 and has 1.
    for day in (2, 9, 16, 23):
        record_visit(account_manager, key, date(2026, 6, day))
    record_visit(account_manager, ordinary, date(2026, 6, 3))
    record_visit(account_manager, ordinary, date(2026, 5, 20))  # before the period
    schedule = VisitSchedule.objects.create(
        owner=account_manager,
        org_node=account_manager.org_node,
        week_start=date(2026, 6, 8),
        state=VisitSchedule.State.SUBMITTED,
    )
    ScheduleEntry.objects.create(schedule=schedule, client=key, day=date(2026, 6, 9))  # visited that day
    ScheduleEntry.objects.create(schedule=schedule, client=ordinary, day=date(2026, 6, 10))  # missed
    return key, ordinary


def test_visit_sources(visited, account_manager, team2_manager):
    people = [account_manager, team2_manager]
    assert run("visits_made", people, *JUNE) == {account_manager.pk: Decimal(5)}
    assert run("visit_compliance", people, *JUNE) == {account_manager.pk: Decimal("50.0")}
    assert run("visit_plan_completion", people, *JUNE) == {account_manager.pk: Decimal("50.0")}
    per_day = run("contacts_per_day", people, *JUNE)
    assert per_day[account_manager.pk] == (Decimal(5) / _june_working_days()).quantize(Decimal("0.01"))
    assert per_day[team2_manager.pk] == Decimal("0.00")


def test_contacts_count_what_the_visits_capability_counts_in_one_shared_query(account_manager, team2_manager):
    client = make_client(account_manager, name="电话客户")
    record_visit(account_manager, client, date(2026, 6, 2))
    record_visit(account_manager, client, date(2026, 6, 4), mode="phone", signed=False)
    record_visit(
        account_manager,
        client,
        date(2026, 6, 30),
        mode="video",
        signed=False,
        kind="special",
        special_reason="产品到期",
    )
    record_visit(account_manager, client, date(2026, 7, 1), mode="phone", signed=False)  # after June
    people = [account_manager, team2_manager]
    kpis = visit_kpis(Staff.objects.filter(pk__in=[p.pk for p in people]), start=JUNE[0], end=JUNE[1])
    assert kpis[account_manager.pk].contacts == 3
    ctx = Context(staff_ids=[p.pk for p in people], start=JUNE[0], end=JUNE[1])
    with CaptureQueriesContext(connection) as captured:
        made = compute_source(ctx, "visits_made")
        per_day = compute_source(ctx, "contacts_per_day")
    assert len(captured) == 1  # both read the same count
    days = _june_working_days()
    assert made == {account_manager.pk: Decimal(3)}
    assert per_day == {
        pk: (Decimal(kpis[pk].contacts) / days).quantize(Decimal("0.01")) for pk in (p.pk for p in people)
    }


def _ticket(owner, client, received, **fields):
    ticket = open_ticket(owner, client)
    Ticket.objects.filter(pk=ticket.pk).update(received_at=received, **fields)
    return Ticket.objects.get(pk=ticket.pk)


def test_service_sources(account_manager, team2_manager):
    am = account_manager
    c1, c2, c3 = (make_client(am, name=name) for name in ("甲", "乙", "丙"))
    june = lambda day, hour=10: at(date(2026, 6, day), hour)  # noqa: E731
    t1 = _ticket(
        am,
        c1,
        june(3),
        first_feedback_due=june(3, 16),
        first_feedback_at=june(3, 12),
        resolution_due=june(10),
        resolved_at=june(8),
        state="resolved",
        is_valid=True,
        confirmed_at=june(9),
    )
    _ticket(
        am,
        c2,
        june(5),
        first_feedback_due=june(5, 16),
        first_feedback_at=june(6),
        resolution_due=june(12),
        resolved_at=june(15),
        state="closed",
        is_valid=False,
        repeat_of=t1,
    )
    _ticket(
        am,
        c3,
        june(20),
        ticket_type="consultation",
        first_feedback_due=june(20, 16),
        first_feedback_at=june(20, 11),
        resolution_due=june(25),
        resolved_at=june(26),
        state="resolved",
    )
    _ticket(am, c3, at(date(2026, 5, 20)), is_valid=True)  # received before the period
    record_visit(am, c2, date(2026, 6, 20))  # a visit after t2 was resolved: its callback
    people = [am, team2_manager]
    assert run("sla_rate", people, *JUNE) == {am.pk: Decimal("66.67")}  # t1, t3 of 3
    assert run("sla_rate", people, *JUNE, clock="resolution") == {am.pk: Decimal("33.33")}  # t1 of 3
    assert run("valid_complaints", people, *JUNE) == {am.pk: Decimal(1)}
    assert run("repeat_complaints", people, *JUNE) == {am.pk: Decimal(1)}
    assert run("callback_rate", people, *JUNE) == {am.pk: Decimal("66.67")}  # t1 confirmed, t2 visited


def test_satisfaction_index_is_the_mean_over_the_quarter(account_manager, team2_manager, admin):
    clients = [make_client(account_manager, name=name, tier="key", lifecycle="won") for name in ("甲", "乙")]
    survey_round = make_round(admin, start=date(2026, 4, 1))
    for client, index in zip(clients, (80, 91), strict=True):
        response = answer(invitation_of(survey_round, client))
        SurveyResponse.objects.filter(pk=response.pk).update(index=index)
    got = run("satisfaction_index", [account_manager, team2_manager], *JUNE)
    assert got == {account_manager.pk: Decimal("85.5")}
    assert run("satisfaction_index", [account_manager], date(2026, 7, 1), date(2026, 7, 31)) == {}


def test_targets_and_registered_performance(account_manager):
    am = account_manager
    sheet = TargetSheet.objects.create(owner=am, org_node=am.org_node, month=JUNE[0], due_at=at(JUNE[0]))
    for code, target in (("online-banking", 10), ("insurance", 100)):
        TargetLine.objects.create(sheet=sheet, item=PerformanceItem.objects.get(code=code), target=target)
    register(am, {("online-banking", date(2026, 6, 2)): "5", ("insurance", date(2026, 6, 3)): "80"})
    assert run("target_completion", [am], *JUNE, item="online-banking") == {am.pk: Decimal("50.00")}
    assert run("target_completion", [am], *JUNE) == {am.pk: Decimal("65.00")}  # (50 + 80) / 2
    assert run("performance_total", [am], *JUNE, item="insurance") == {am.pk: Decimal(80)}
    assert run("performance_total", [am], *JUNE) == {am.pk: Decimal(85)}


def test_log_submission_rate_counts_from_the_hire_date(account_manager):
    type(account_manager).objects.filter(pk=account_manager.pk).update(hire_date=date(2026, 6, 25))
    for day in (date(2026, 6, 25), date(2026, 6, 26)):
        write_log(account_manager, day, submit=True)
    got = run("log_submission_rate", [account_manager], *JUNE)
    expected = (Decimal(200) / _june_working_days(date(2026, 6, 25))).quantize(Decimal("0.01"))
    assert got == {account_manager.pk: expected}


def test_training_credits_of_attended_sessions_in_the_period(account_manager, org):
    def attend(day, credits, attended=True):
        session = TrainingSession.objects.create(
            topic="合规", held_on=day, hours=2, trainer="王老师", org_node=org.tm1, credits=credits
        )
        TrainingAttendance.objects.create(
            session=session, staff=account_manager, attended=attended, credits=credits
        )

    attend(date(2026, 6, 10), 2)
    attend(date(2026, 6, 20), Decimal("1.5"), attended=False)
    attend(date(2026, 5, 20), 3)
    assert run("training_credits", [account_manager], *JUNE) == {account_manager.pk: Decimal(2)}
