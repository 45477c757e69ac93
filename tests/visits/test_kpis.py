"""Visit figures per account manager: contacts, on-site visits, time spent, plan completion, compliance."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.clients.models import Client
from amdesk.orgs.models import Staff
from amdesk.visits.models import ScheduleEntry, Visit, VisitNorm, VisitSchedule
from amdesk.visits.selectors import visit_kpis
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.visits.factories import at, created_on, norm, record_visit, visit_settings

TODAY = date(2026, 3, 6)
START, END = date(2026, 2, 1), date(2026, 2, 28)
KEY, ORDINARY = "key", "ordinary"  # tier codes of the bank preset


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture(autouse=True)
def norms(preset):
    VisitNorm.objects.all().delete()
    norm("重点客户每周", 7, tier=KEY)
    norm("普通客户每两周", 14, tier=ORDINARY)
    visit_settings(remote_counts_for_norm=True)


def old_client(owner, name, tier=ORDINARY) -> Client:
    client = make_client(owner, name, tier=tier)
    created_on(client, date(2025, 12, 1))
    return client


def schedule_of(owner, week_start, state, entries) -> VisitSchedule:
    schedule = VisitSchedule.objects.create(
        owner=owner, org_node=owner.org_node, week_start=week_start, state=state
    )
    for position, (client, day) in enumerate(entries):
        ScheduleEntry.objects.create(schedule=schedule, client=client, day=day, position=position)
    return schedule


def kpis_of(*people, start=START, end=END):
    return visit_kpis(Staff.objects.filter(pk__in=[p.pk for p in people]), start=start, end=end)


def test_contacts_on_site_visits_and_time_spent(account_manager, team2_manager):
    # Given three on-site visits of 30, 40 and 50 minutes and an untimed phone call in February
    client = old_client(account_manager, "王小明")
    for day, minutes in ((3, 30), (10, 40), (17, 50)):
        record_visit(account_manager, client, date(2026, 2, day), minutes=minutes)
    record_visit(
        account_manager, client, date(2026, 2, 20), mode=Visit.Mode.PHONE, ended_at=None, signed=False
    )
    # and visits outside the period
    record_visit(account_manager, client, date(2026, 1, 31), minutes=200)
    record_visit(account_manager, client, date(2026, 3, 1), minutes=200)

    kpis = kpis_of(account_manager, team2_manager)

    mine = kpis[account_manager.pk]
    assert (mine.contacts, mine.on_site, mine.avg_minutes) == (4, 3, 40.0)
    theirs = kpis[team2_manager.pk]
    assert (theirs.contacts, theirs.on_site, theirs.avg_minutes) == (0, 0, None)
    assert theirs.plan_completion is None and theirs.compliance_rate() is None


def test_the_period_includes_both_ends(account_manager):
    client = old_client(account_manager, "王小明")
    record_visit(account_manager, client, START)
    record_visit(account_manager, client, END)

    assert kpis_of(account_manager)[account_manager.pk].contacts == 2


def test_plan_completion_counts_entries_of_submitted_schedules_visited_that_day(account_manager):
    a, b, c, d, e = (old_client(account_manager, name) for name in "甲乙丙丁戊")
    monday = date(2026, 2, 9)
    schedule_of(
        account_manager,
        monday,
        VisitSchedule.State.SUBMITTED,
        [(a, monday), (b, monday + timedelta(1)), (c, monday + timedelta(2))],
    )
    schedule_of(account_manager, date(2026, 2, 23), VisitSchedule.State.REVIEWED, [(d, date(2026, 2, 24))])
    # proposed or returned schedules are not a plan yet
    schedule_of(account_manager, date(2026, 2, 16), VisitSchedule.State.PROPOSED, [(e, date(2026, 2, 16))])
    schedule_of(account_manager, date(2026, 2, 2), VisitSchedule.State.RETURNED, [(e, date(2026, 2, 2))])
    # and a planned day outside the period
    schedule_of(account_manager, date(2026, 3, 2), VisitSchedule.State.SUBMITTED, [(e, date(2026, 3, 2))])

    record_visit(account_manager, a, monday)  # on the day planned
    record_visit(account_manager, c, monday + timedelta(3))  # a day late: not the plan
    record_visit(account_manager, d, date(2026, 2, 24), mode=Visit.Mode.PHONE)
    record_visit(account_manager, e, date(2026, 2, 16))
    record_visit(account_manager, e, date(2026, 2, 2))
    record_visit(account_manager, e, date(2026, 3, 2))

    mine = kpis_of(account_manager)[account_manager.pk]

    assert (mine.planned, mine.planned_done, mine.plan_completion) == (4, 2, 50.0)


def test_compliance_per_tier(account_manager, team2_manager):
    # Given a key client visited weekly, one key client not, and an ordinary client visited once
    weekly = old_client(account_manager, "每周", KEY)
    for day in (2, 9, 16, 23):
        record_visit(account_manager, weekly, date(2026, 2, day))
    old_client(account_manager, "未访", KEY)
    once = old_client(account_manager, "一次", ORDINARY)
    record_visit(account_manager, once, date(2026, 2, 2))
    other = old_client(team2_manager, "二组", ORDINARY)
    for day in (2, 16):
        record_visit(team2_manager, other, date(2026, 2, day))

    kpis = kpis_of(account_manager, team2_manager)

    mine = kpis[account_manager.pk]
    assert mine.compliance == {True: (1, 2), False: (0, 1)}  # key tiers, the others
    assert mine.compliance_rate() == pytest.approx(33.3)
    assert mine.compliance_rate(key=True) == mine.key_compliance == 50.0
    assert mine.compliance_rate(key=False) == 0.0
    assert kpis[team2_manager.pk].compliance == {False: (1, 1)}


def test_only_the_staff_asked_for_are_counted(account_manager, team2_manager):
    client = old_client(team2_manager, "二组")
    record_visit(team2_manager, client, date(2026, 2, 2))

    assert list(kpis_of(account_manager)) == [account_manager.pk]


def _team(org, supervisor, size: int) -> list[Staff]:
    """Account managers with a client, a visit and a submitted schedule each."""
    people = []
    for i in range(size):
        person = StaffFactory(org_node=org.tm1, supervisor=supervisor)
        client = old_client(person, f"客户{i}", KEY if i % 2 else ORDINARY)
        record_visit(person, client, date(2026, 2, 10))
        schedule_of(person, date(2026, 2, 9), VisitSchedule.State.SUBMITTED, [(client, date(2026, 2, 10))])
        people.append(person)
    return people


def test_the_number_of_queries_does_not_grow_with_the_team(org, supervisor, django_assert_max_num_queries):
    small, large = _team(org, supervisor, 2), _team(org, supervisor, 4)

    with CaptureQueriesContext(connection) as two:
        kpis = kpis_of(*small)
    with django_assert_max_num_queries(len(two.captured_queries)):
        many = kpis_of(*small, *large)

    assert len(two.captured_queries) <= 6
    assert len(many) == 6 and all(k.contacts == 1 and k.plan_completion == 100.0 for k in many.values())
    assert all(k.compliance_rate() == 0.0 for k in kpis.values())  # one visit in four weeks
