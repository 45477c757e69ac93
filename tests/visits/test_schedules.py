"""The weekly visit schedule 客户访问日程表: the system's proposal, the AM's edits, the review."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.clients.models import Client
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.visits.models import LoanInspection, ScheduleEntry, Visit, VisitNorm, VisitSchedule
from amdesk.visits.selectors import schedule_entries, schedules_for, today_route
from amdesk.visits.services import (
    schedule_day_reroute,
    schedule_entry_add,
    schedule_entry_change,
    schedule_entry_remove,
    schedule_propose,
    schedule_review,
    schedule_submit,
    visit_record,
)
from tests.clients.factories import make_client
from tests.visits.factories import SIGNATURE, at, created_on, norm, place, record_visit, visit_settings

TODAY = date(2026, 3, 6)  # Friday
THIS_MONDAY = date(2026, 3, 2)
MONDAY = date(2026, 3, 9)  # next week, the one proposed on a Friday
KEY, ORDINARY = "key", "ordinary"  # tier codes of the bank preset
Reason = ScheduleEntry.Reason


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture(autouse=True)
def norms(preset):
    VisitNorm.objects.all().delete()
    norm("流失客户不访问", None, lifecycle=Client.Lifecycle.LOST, order=1)
    norm("重点客户每周", 7, tier=KEY, order=10)
    norm("普通客户每两周", 14, tier=ORDINARY, order=11)
    visit_settings(workdays_per_week=5, visits_per_day=8, remote_counts_for_norm=True)


def client_last_visited(owner, name, tier, days_ago=None, **extra) -> Client:
    """A client taken on long ago and last visited `days_ago` (never when None)."""
    client = make_client(owner, name, tier=tier, **extra)
    created_on(client, date(2025, 12, 1))
    if days_ago is not None:
        record_visit(owner, client, TODAY - timedelta(days=days_ago))
    return client


def entries_of(schedule) -> dict[int, ScheduleEntry]:
    return {entry.client_id: entry for entry in schedule.entries.all()}


def propose(owner, week_start=MONDAY, **options):
    return schedule_propose(owner=owner, week_start=week_start, today=TODAY, **options)


# The proposal


def test_the_proposal_takes_clients_due_and_puts_overdue_key_clients_first(account_manager, other_manager):
    # Given clients of every kind, all without a known place, and room for 2 visits a day
    visit_settings(visits_per_day=2)
    key_overdue = client_last_visited(account_manager, "重点逾期", KEY)  # never visited
    ordinary_overdue = client_last_visited(account_manager, "普通逾期", ORDINARY, days_ago=20)
    key_due = client_last_visited(account_manager, "重点下周到期", KEY, days_ago=1)  # due Thursday
    ordinary_due = client_last_visited(account_manager, "普通下周到期", ORDINARY, days_ago=7)
    on_time = client_last_visited(account_manager, "普通按时", ORDINARY, days_ago=1)  # due in 13 days
    lost = client_last_visited(account_manager, "流失重点", KEY, lifecycle=Client.Lifecycle.LOST)
    theirs = client_last_visited(other_manager, "别人的逾期", KEY)

    # When the system proposes next week's schedule
    proposal = propose(account_manager)

    # then the clients due are on it, the overdue key client first on Monday
    schedule = proposal.schedule
    assert proposal.created and proposal.left_over == []
    assert (schedule.owner, schedule.org_node, schedule.week_start) == (
        account_manager,
        account_manager.org_node,
        MONDAY,
    )
    assert schedule.state == VisitSchedule.State.PROPOSED
    entries = entries_of(schedule)
    assert set(entries) == {key_overdue.pk, ordinary_overdue.pk, key_due.pk, ordinary_due.pk}
    assert {on_time.pk, lost.pk, theirs.pk}.isdisjoint(entries)
    assert (entries[key_overdue.pk].day, entries[key_overdue.pk].position) == (MONDAY, 0)
    assert entries[ordinary_overdue.pk].day == MONDAY
    assert max(e.day for e in entries.values()) > MONDAY  # two a day at most
    assert {pk: e.reason for pk, e in entries.items()} == {
        key_overdue.pk: Reason.OVERDUE,
        ordinary_overdue.pk: Reason.OVERDUE,
        key_due.pk: Reason.DUE,
        ordinary_due.pk: Reason.DUE,
    }


def test_the_week_holds_visits_per_day_times_workdays_and_returns_the_rest(account_manager):
    # Given room for 2 visits a day on 2 days, and 6 clients overdue
    visit_settings(visits_per_day=2, workdays_per_week=2)
    key = [client_last_visited(account_manager, f"重点{i}", KEY) for i in range(2)]
    ordinary = [client_last_visited(account_manager, f"普通{i}", ORDINARY) for i in range(4)]

    proposal = propose(account_manager)

    entries = list(proposal.schedule.entries.all())
    assert len(entries) == 4
    assert {e.day for e in entries} == {MONDAY, MONDAY + timedelta(days=1)}
    assert all(sum(1 for e in entries if e.day == day) == 2 for day in {e.day for e in entries})
    assert {c.pk for c in key} <= {e.client_id for e in entries}  # key clients are kept
    assert len(proposal.left_over) == 2
    assert set(proposal.left_over) <= {c.pk for c in ordinary}
    assert set(proposal.left_over).isdisjoint(e.client_id for e in entries)


def test_a_follow_up_promised_for_a_day_of_the_week_is_on_that_day(account_manager):
    # Given a client visited yesterday (not due by norm) with a follow-up promised for Wednesday
    client = make_client(account_manager, "跟进客户", tier=ORDINARY)
    wednesday = MONDAY + timedelta(days=2)
    record_visit(
        account_manager, client, TODAY - timedelta(days=1), next_step="递交理财规划书", next_step_on=wednesday
    )
    # and one promised for the week after
    later = make_client(account_manager, "下下周跟进", tier=ORDINARY)
    record_visit(
        account_manager,
        later,
        TODAY - timedelta(days=1),
        next_step="电话约访",
        next_step_on=MONDAY + timedelta(7),
    )

    entries = entries_of(propose(account_manager).schedule)

    assert set(entries) == {client.pk}
    assert (entries[client.pk].day, entries[client.pk].reason) == (wednesday, Reason.FOLLOW_UP)


def test_inspections_due_are_on_the_schedule(account_manager):
    on_tuesday = make_client(account_manager, "周二贷后", tier=ORDINARY)
    overdue = make_client(account_manager, "贷后逾期", tier=ORDINARY)
    done = make_client(account_manager, "已检查", tier=ORDINARY)
    for client, due_on, done_on in (
        (on_tuesday, MONDAY + timedelta(days=1), None),
        (overdue, TODAY - timedelta(days=10), None),
        (done, MONDAY, TODAY),
    ):
        LoanInspection.objects.create(
            client=client,
            owner=account_manager,
            org_node=client.org_node,
            kind=LoanInspection.Kind.AD_HOC,
            due_on=due_on,
            done_on=done_on,
        )

    entries = entries_of(propose(account_manager).schedule)

    assert set(entries) == {on_tuesday.pk, overdue.pk}
    assert (entries[on_tuesday.pk].day, entries[on_tuesday.pk].reason) == (
        MONDAY + timedelta(days=1),
        Reason.INSPECTION,
    )
    assert entries[overdue.pk].reason == Reason.INSPECTION


def test_a_client_with_several_reasons_keeps_the_promised_day(account_manager):
    # Given a client overdue by norm, with an inspection overdue, and a follow-up promised for Thursday
    client = client_last_visited(account_manager, "多个原因", ORDINARY, days_ago=20)
    thursday = MONDAY + timedelta(days=3)
    Visit.objects.filter(client=client).update(next_step="上门", next_step_on=thursday)
    LoanInspection.objects.create(
        client=client,
        owner=account_manager,
        org_node=client.org_node,
        kind=LoanInspection.Kind.AD_HOC,
        due_on=TODAY - timedelta(days=3),
    )

    entries = entries_of(propose(account_manager).schedule)

    # then it is on once, for the most urgent reason, on the day promised
    assert list(entries) == [client.pk]
    assert (entries[client.pk].reason, entries[client.pk].day) == (Reason.INSPECTION, thursday)


def test_lost_clients_are_never_proposed(account_manager):
    # Given a client with a follow-up and an inspection, who is then lost
    client = make_client(account_manager, "已流失", tier=KEY)
    record_visit(
        account_manager,
        client,
        TODAY - timedelta(days=1),
        next_step="上门",
        next_step_on=MONDAY + timedelta(1),
    )
    LoanInspection.objects.create(
        client=client,
        owner=account_manager,
        org_node=client.org_node,
        kind=LoanInspection.Kind.AD_HOC,
        due_on=MONDAY,
    )
    Client.objects.filter(pk=client.pk).update(lifecycle=Client.Lifecycle.LOST)

    assert not propose(account_manager).schedule.entries.exists()


def test_clients_handed_to_another_account_manager_are_not_proposed(account_manager, team2_manager):
    client = client_last_visited(account_manager, "已移交", KEY)
    record_visit(
        account_manager,
        client,
        TODAY - timedelta(days=1),
        next_step="上门",
        next_step_on=MONDAY + timedelta(1),
    )
    Client.objects.filter(pk=client.pk).update(owner=team2_manager, org_node=team2_manager.org_node)

    assert not propose(account_manager).schedule.entries.exists()
    assert set(entries_of(propose(team2_manager).schedule)) == {client.pk}


def test_located_clients_are_grouped_by_area_and_routed(account_manager):
    # Given two clusters of clients far apart, room for three a day
    visit_settings(visits_per_day=3)
    west = [client_last_visited(account_manager, f"西{i}", ORDINARY) for i in range(3)]
    east = [client_last_visited(account_manager, f"东{i}", ORDINARY) for i in range(3)]
    for i, client in enumerate(west):
        place(client, 30.25 + i * 0.01, 120.00)
    for i, client in enumerate(east):
        place(client, 30.25 + i * 0.01, 120.40)

    entries = entries_of(propose(account_manager).schedule)

    # then each cluster is one day's route, in order along the street
    assert len({entries[c.pk].day for c in west}) == 1
    assert len({entries[c.pk].day for c in east}) == 1
    assert entries[west[0].pk].day != entries[east[0].pk].day
    assert [entries[c.pk].position for c in west] in ([0, 1, 2], [2, 1, 0])


def test_an_existing_schedule_is_kept(account_manager):
    client_last_visited(account_manager, "重点逾期", KEY)
    first = propose(account_manager)
    schedule_submit(actor=account_manager, schedule=first.schedule)
    client_last_visited(account_manager, "新的逾期", KEY)

    for replace in (False, True):
        again = propose(account_manager, replace=replace)
        assert not again.created and again.schedule.pk == first.schedule.pk
        assert again.schedule.state == VisitSchedule.State.SUBMITTED
        assert again.schedule.entries.count() == 1


def test_proposing_any_day_of_the_week_gives_that_weeks_schedule(account_manager):
    proposal = propose(account_manager, week_start=MONDAY + timedelta(days=3))

    assert proposal.schedule.week_start == MONDAY
    assert propose(account_manager, week_start=MONDAY).schedule == proposal.schedule


def test_proposing_again_keeps_the_entries_already_visited(account_manager):
    # Given this week's schedule proposed on Monday, one client already visited today (Friday)
    visited = client_last_visited(account_manager, "今天已访", KEY)
    waiting = client_last_visited(account_manager, "待访", KEY)
    first = schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=THIS_MONDAY)
    entry = first.schedule.entries.get(client=visited)
    ScheduleEntry.objects.filter(pk=entry.pk).update(day=TODAY, position=3)
    visit = visit_record(
        actor=account_manager,
        client=visited,
        data={"started_at": at(TODAY, 9), "ended_at": at(TODAY, 10)},
        entry=entry,
        signature=SIGNATURE,
    )
    newcomer = client_last_visited(account_manager, "新逾期", ORDINARY)
    version = VisitSchedule.objects.get(pk=first.schedule.pk).version

    # When the AM asks for a new proposal on Friday
    again = schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=TODAY, replace=True)

    # then the visited entry stays as it was, the rest is planned from today on, and the visit
    # missed on Monday stays on Monday (it counts as missed) while the client is planned again
    assert again.created and again.schedule.pk == first.schedule.pk
    assert again.schedule.version == version + 1
    today = {e.client_id: e for e in again.schedule.entries.filter(day=TODAY)}
    assert today[visited.pk].pk == entry.pk and today[visited.pk].visit == visit
    assert set(today) == {visited.pk, waiting.pk, newcomer.pk}
    assert sorted(e.position for e in today.values()) == [0, 1, 2]
    missed = again.schedule.entries.exclude(day=TODAY).values_list("client", "day", "visit")
    assert list(missed) == [(waiting.pk, THIS_MONDAY, None)]


def test_proposing_again_counts_the_visited_entries_against_the_day(account_manager):
    # Given room for two visits a day, and two clients already visited today
    visit_settings(visits_per_day=2)
    done = [client_last_visited(account_manager, f"已访{i}", KEY) for i in range(2)]
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=THIS_MONDAY
    )
    for position, client in enumerate(done):
        entry = ScheduleEntry.objects.create(schedule=schedule, client=client, day=TODAY, position=position)
        visit_record(
            actor=account_manager,
            client=client,
            data={"started_at": at(TODAY, 9 + position), "ended_at": at(TODAY, 9 + position, 30)},
            entry=entry,
            signature=SIGNATURE,
        )
    overdue = client_last_visited(account_manager, "逾期", KEY)

    proposal = schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=TODAY, replace=True)

    # then Friday is full: the overdue client is left over, not squeezed in
    assert set(entries_of(proposal.schedule)) == {c.pk for c in done}
    assert proposal.left_over == [overdue.pk]


def test_a_past_week_has_no_day_left_to_plan(account_manager):
    client = client_last_visited(account_manager, "逾期", KEY)

    proposal = schedule_propose(owner=account_manager, week_start=THIS_MONDAY - timedelta(7), today=TODAY)

    assert not proposal.schedule.entries.exists()
    assert proposal.left_over == [client.pk]


def test_a_returned_schedule_may_be_proposed_again(account_manager, supervisor):
    client_last_visited(account_manager, "逾期", KEY)
    schedule = propose(account_manager).schedule
    schedule_submit(actor=account_manager, schedule=schedule)
    schedule_review(actor=supervisor, schedule=schedule, comment="周三多安排", accept=False)
    newcomer = client_last_visited(account_manager, "新逾期", KEY)

    again = propose(account_manager, replace=True)

    assert again.created and newcomer.pk in entries_of(again.schedule)
    assert again.schedule.is_editable


# The AM's edits


@pytest.fixture
def client(account_manager):
    return make_client(account_manager, "王小明")


@pytest.fixture
def schedule(account_manager):
    return propose(account_manager).schedule


def test_the_am_adds_a_client_at_the_end_of_a_days_route(account_manager, schedule, client):
    other = make_client(account_manager, "李四")
    tuesday = MONDAY + timedelta(days=1)
    first = schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=tuesday)
    second = schedule_entry_add(
        actor=account_manager,
        schedule=schedule,
        client=other,
        day=tuesday,
        mode=Visit.Mode.PHONE,
        strategy="介绍新理财",
        reason=Reason.REQUEST,
    )

    assert (first.position, first.reason) == (0, Reason.MANUAL)
    assert (second.position, second.reason, second.mode, second.strategy) == (
        1,
        Reason.REQUEST,
        Visit.Mode.PHONE,
        "介绍新理财",
    )
    assert VisitSchedule.objects.get(pk=schedule.pk).version == 3
    changes = AuditEntry.objects.filter(event=AuditEvent.SCHEDULE_CHANGED, target_id=str(schedule.pk))
    assert [sorted(entry.detail) for entry in changes.order_by("pk")] == [
        ["left_over", "proposed", "replace"],  # the proposal
        ["added", "day"],
        ["added", "day"],
    ]


def test_an_added_entry_cannot_claim_a_system_reason(account_manager, schedule, client):
    entry = schedule_entry_add(
        actor=account_manager, schedule=schedule, client=client, day=MONDAY, reason=Reason.OVERDUE
    )
    assert entry.reason == Reason.MANUAL


def test_an_entry_must_be_a_day_of_the_week_and_a_client_of_the_am(
    account_manager, team2_manager, schedule, client
):
    with pytest.raises(ValidationError):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY + timedelta(7))
    with pytest.raises(ValidationError):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY - timedelta(1))
    stranger = make_client(team2_manager, "二组客户")
    with pytest.raises(ValidationError):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=stranger, day=MONDAY)
    schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)
    with pytest.raises(ValidationError):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)
    assert schedule.entries.count() == 1


def test_only_the_owner_edits_his_schedule(supervisor, team2_manager, schedule, client):
    for someone in (supervisor, team2_manager):
        with pytest.raises(PermissionDenied):
            schedule_entry_add(actor=someone, schedule=schedule, client=client, day=MONDAY)
    assert not schedule.entries.exists()


def test_a_stale_edit_is_refused_and_changes_nothing(account_manager, schedule, client):
    opened_at = schedule.version
    schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)

    other = make_client(account_manager, "李四")
    with pytest.raises(ValidationError):
        schedule_entry_add(
            actor=account_manager, schedule=schedule, client=other, day=MONDAY, expected_version=opened_at
        )
    assert list(schedule.entries.values_list("client_id", flat=True)) == [client.pk]


def test_moving_an_entry_puts_it_at_the_end_of_the_new_day(account_manager, schedule, client):
    other = make_client(account_manager, "李四")
    friday = MONDAY + timedelta(days=4)
    schedule_entry_add(actor=account_manager, schedule=schedule, client=other, day=friday)
    entry = schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)

    moved = schedule_entry_change(
        actor=account_manager, entry=entry, data={"day": friday, "mode": Visit.Mode.VIDEO, "strategy": "视频"}
    )

    moved.refresh_from_db()
    assert (moved.day, moved.position, moved.mode, moved.strategy) == (friday, 1, Visit.Mode.VIDEO, "视频")
    with pytest.raises(ValidationError):
        schedule_entry_change(actor=account_manager, entry=moved, data={"day": MONDAY + timedelta(days=8)})


def test_removing_an_entry(account_manager, schedule, client):
    entry = schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)

    schedule_entry_remove(actor=account_manager, entry=entry)

    assert not schedule.entries.exists()


def test_a_visited_entry_stays_where_it_was(account_manager, client):
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=THIS_MONDAY
    )
    entry = ScheduleEntry.objects.create(schedule=schedule, client=client, day=TODAY)
    visit_record(
        actor=account_manager,
        client=client,
        data={"started_at": at(TODAY, 9), "ended_at": at(TODAY, 10)},
        entry=entry,
        signature=SIGNATURE,
    )

    with pytest.raises(ValidationError):
        schedule_entry_remove(actor=account_manager, entry=entry)
    with pytest.raises(ValidationError):
        schedule_entry_change(actor=account_manager, entry=entry, data={"day": TODAY - timedelta(days=1)})
    entry.refresh_from_db()
    assert entry.day == TODAY


def test_rerouting_orders_a_day_along_the_way(account_manager, schedule):
    north, south, middle = (make_client(account_manager, name) for name in ("北", "南", "中"))
    place(north, 30.30, 120.15)
    place(south, 30.10, 120.15)
    place(middle, 30.20, 120.15)
    for client in (north, south, middle):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)

    ordered = schedule_day_reroute(actor=account_manager, schedule=schedule, day=MONDAY)

    assert [e.client_id for e in ordered] in (
        [north.pk, middle.pk, south.pk],
        [south.pk, middle.pk, north.pk],
    )
    positions = dict(ScheduleEntry.objects.filter(schedule=schedule).values_list("client_id", "position"))
    assert positions[middle.pk] == 1
    assert [e.client_id for e in schedule_entries(schedule)] == [e.client_id for e in ordered]


# Submission and review


def test_the_am_submits_and_the_supervisor_accepts(account_manager, supervisor, schedule):
    submitted = schedule_submit(actor=account_manager, schedule=schedule)
    assert submitted.state == VisitSchedule.State.SUBMITTED and submitted.submitted_at is not None
    assert not submitted.is_editable

    reviewed = schedule_review(actor=supervisor, schedule=submitted, comment=" 同意 ")

    assert (reviewed.state, reviewed.reviewer, reviewed.comment) == (
        VisitSchedule.State.REVIEWED,
        supervisor,
        "同意",
    )
    assert reviewed.reviewed_at is not None
    assert list(schedules_for(supervisor)) == [reviewed]
    assert AuditEntry.objects.filter(event=AuditEvent.SCHEDULE_REVIEWED, target_id=str(schedule.pk)).exists()


def test_a_submitted_schedule_is_not_edited(account_manager, schedule, client):
    schedule_submit(actor=account_manager, schedule=schedule)

    with pytest.raises(ValidationError):
        schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)
    with pytest.raises(ValidationError):
        schedule_submit(actor=account_manager, schedule=schedule)


def test_a_stale_submission_is_refused(account_manager, schedule, client):
    opened_at = schedule.version
    schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=MONDAY)

    with pytest.raises(ValidationError):
        schedule_submit(
            actor=account_manager,
            schedule=VisitSchedule.objects.get(pk=schedule.pk),
            expected_version=opened_at,
        )
    assert VisitSchedule.objects.get(pk=schedule.pk).state == VisitSchedule.State.PROPOSED


def test_returning_a_schedule_needs_a_comment_and_makes_it_editable(
    account_manager, supervisor, schedule, client
):
    schedule_submit(actor=account_manager, schedule=schedule)
    with pytest.raises(ValidationError):
        schedule_review(actor=supervisor, schedule=schedule, comment="  ", accept=False)

    returned = schedule_review(actor=supervisor, schedule=schedule, comment="周三安排太满", accept=False)

    assert returned.state == VisitSchedule.State.RETURNED and returned.comment == "周三安排太满"
    assert returned.is_editable
    schedule_entry_add(actor=account_manager, schedule=returned, client=client, day=MONDAY)
    assert schedule_submit(actor=account_manager, schedule=returned).state == VisitSchedule.State.SUBMITTED


def test_who_may_review(account_manager, team2_manager, supervisor, other_supervisor, schedule):
    schedule_submit(actor=account_manager, schedule=schedule)

    # an AM reviews no schedule, his own or his colleague's; another team's supervisor neither
    for someone in (account_manager, team2_manager, other_supervisor):
        with pytest.raises(PermissionDenied):
            schedule_review(actor=someone, schedule=schedule, comment="好")
    assert VisitSchedule.objects.get(pk=schedule.pk).state == VisitSchedule.State.SUBMITTED


def test_a_supervisor_does_not_review_his_own_schedule(supervisor, branch_head):
    mine = VisitSchedule.objects.create(owner=supervisor, org_node=supervisor.org_node, week_start=MONDAY)
    schedule_submit(actor=supervisor, schedule=mine)

    with pytest.raises(PermissionDenied):
        schedule_review(actor=supervisor, schedule=mine, comment="好")
    assert (
        schedule_review(actor=branch_head, schedule=mine, comment="好").state == VisitSchedule.State.REVIEWED
    )


def test_only_a_submitted_schedule_is_reviewed_and_only_once(
    account_manager, supervisor, branch_head, schedule
):
    with pytest.raises(ValidationError):
        schedule_review(actor=supervisor, schedule=schedule, comment="好")
    schedule_submit(actor=account_manager, schedule=schedule)
    opened_by_head = VisitSchedule.objects.get(pk=schedule.pk)
    schedule_review(actor=supervisor, schedule=schedule, comment="好")

    with pytest.raises(ValidationError):
        schedule_review(actor=branch_head, schedule=opened_by_head, comment="退回", accept=False)
    schedule.refresh_from_db()
    assert (schedule.state, schedule.reviewer) == (VisitSchedule.State.REVIEWED, supervisor)


def test_todays_route_is_the_days_entries_of_a_schedule_not_returned(account_manager, supervisor, client):
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=THIS_MONDAY
    )
    other = make_client(account_manager, "李四")
    ScheduleEntry.objects.create(schedule=schedule, client=other, day=TODAY, position=1)
    ScheduleEntry.objects.create(schedule=schedule, client=client, day=TODAY, position=0)
    ScheduleEntry.objects.create(schedule=schedule, client=client, day=TODAY - timedelta(days=1))

    assert [e.client for e in today_route(account_manager, today=TODAY)] == [client, other]
    assert not today_route(supervisor, today=TODAY).exists()
    VisitSchedule.objects.filter(pk=schedule.pk).update(state=VisitSchedule.State.RETURNED)
    assert not today_route(account_manager, today=TODAY).exists()


def test_proposing_again_keeps_what_the_am_added_and_refuses_when_no_day_is_left(account_manager):
    asked = client_last_visited(account_manager, "客户要求", ORDINARY)
    first = schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=THIS_MONDAY)
    added = schedule_entry_add(
        actor=account_manager, schedule=first.schedule, client=asked, day=TODAY, reason=Reason.REQUEST
    )

    again = schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=TODAY, replace=True)

    assert again.schedule.entries.filter(pk=added.pk).exists()
    saturday = THIS_MONDAY + timedelta(days=5)
    with pytest.raises(ValidationError):
        schedule_propose(owner=account_manager, week_start=THIS_MONDAY, today=saturday, replace=True)
    assert again.schedule.entries.filter(pk=added.pk).exists()


def test_moving_an_entry_on_its_route_renumbers_the_day(account_manager):
    clients = [client_last_visited(account_manager, name, KEY) for name in ("甲", "乙", "丙")]
    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=TODAY).schedule
    day = MONDAY
    ScheduleEntry.objects.filter(schedule=schedule).update(day=day)
    for position, entry in enumerate(schedule.entries.order_by("client_id")):
        ScheduleEntry.objects.filter(pk=entry.pk).update(position=position)
    last = schedule.entries.get(client=clients[2])

    schedule_entry_change(actor=account_manager, entry=last, data={"position": 0})

    order = list(schedule.entries.filter(day=day).order_by("position").values_list("client", "position"))
    assert order == [(clients[2].pk, 0), (clients[0].pk, 1), (clients[1].pk, 2)]
