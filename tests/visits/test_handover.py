"""After a handover the client's open work follows him to the new account manager, as his tickets do:
open visit findings, visits planned from today on, pending survey invitations (issue 14)."""

from datetime import date, timedelta

import pytest

from amdesk.clients.services import client_handover
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.surveys.models import SurveyInvitation, SurveyRound
from amdesk.visits.models import ScheduleEntry, VisitFinding, VisitSchedule
from amdesk.visits.selectors import findings_for
from amdesk.visits.services import finding_close, schedule_entry_add, schedule_propose, visit_record
from tests.clients.factories import make_client
from tests.surveys.factories import answer, invitation_of, make_round
from tests.visits.factories import SIGNATURE, at, record_visit

TODAY = date(2026, 3, 4)  # a Wednesday
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 12), tick=False)


def hand_over(supervisor, client, to):
    client_handover(actor=supervisor, client_ids=[client.pk], to_staff=to, reason="调岗")


def test_open_findings_follow_the_client(org, account_manager, supervisor, team2_manager, other_supervisor):
    # Given two findings on a client, one of them already decided by the supervisor
    client = make_client(account_manager, "王五")
    kept_client = make_client(account_manager, "赵六")
    visit = record_visit(account_manager, client, TODAY - timedelta(days=1), market_anomaly="门店停业装修")
    closed_visit = record_visit(account_manager, client, TODAY - timedelta(days=2), market_anomaly="竞品促销")
    other = record_visit(account_manager, kept_client, TODAY - timedelta(days=1), market_anomaly="门店搬迁")
    closed = closed_visit.findings.get()
    finding_close(actor=supervisor, finding=closed, outcome="no-action")

    # When the client is handed over to an AM of another team
    hand_over(supervisor, client, team2_manager)

    # then the open finding is the new owner's, under his node; the closed one and others stay
    moved = visit.findings.get()
    assert (moved.owner_id, moved.org_node_id) == (team2_manager.pk, org.tm2.pk)
    assert set(findings_for(team2_manager, open_only=True)) == {moved}
    assert VisitFinding.objects.get(pk=closed.pk).owner == account_manager
    assert other.findings.get().owner == account_manager
    entry = AuditEntry.objects.get(event=AuditEvent.SCHEDULE_CHANGED, detail__via="client_handover")
    assert entry.detail["findings"] == {str(moved.pk): account_manager.pk}


def test_planned_visits_from_today_follow_the_client(org, account_manager, supervisor, team2_manager):
    # Given the old AM's week plans the client yesterday (missed), today and Friday, and the new AM
    # already plans another client on Friday
    client = make_client(account_manager, "王五")
    other = make_client(account_manager, "赵六")
    old = schedule_propose(owner=account_manager, week_start=MONDAY, today=MONDAY).schedule
    old.entries.all().delete()
    for day in (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=2)):
        schedule_entry_add(actor=account_manager, schedule=old, client=client, day=day, strategy="推荐理财")
    schedule_entry_add(actor=account_manager, schedule=old, client=other, day=TODAY)
    friday = TODAY + timedelta(days=2)
    theirs = make_client(team2_manager, "孙七")
    new = schedule_propose(owner=team2_manager, week_start=MONDAY, today=MONDAY).schedule
    new.entries.all().delete()
    schedule_entry_add(actor=team2_manager, schedule=new, client=theirs, day=friday)
    # and next week's schedule of the old AM plans the client on Monday
    next_week = VisitSchedule.objects.create(
        owner=account_manager, org_node=org.tm1, week_start=MONDAY + timedelta(days=7)
    )
    ScheduleEntry.objects.create(schedule=next_week, client=client, day=MONDAY + timedelta(days=7))

    # When the client is handed over
    hand_over(supervisor, client, team2_manager)

    # then the missed visit stays on the old schedule, with the other client's
    assert sorted((e.client_id, e.day) for e in old.entries.all()) == [
        (client.pk, TODAY - timedelta(days=1)),
        (other.pk, TODAY),
    ]
    # and today's and Friday's visits are on the new AM's week, at the end of each day's route
    planned = {(e.client_id, e.day): e for e in new.entries.all()}
    assert set(planned) == {(client.pk, TODAY), (client.pk, friday), (theirs.pk, friday)}
    assert planned[(client.pk, friday)].position > planned[(theirs.pk, friday)].position
    assert planned[(client.pk, TODAY)].strategy == "推荐理财"
    # and next week's visit starts the new AM's schedule of that week
    started = VisitSchedule.objects.get(owner=team2_manager, week_start=MONDAY + timedelta(days=7))
    assert started.state == VisitSchedule.State.PROPOSED and started.org_node_id == org.tm2.pk
    assert list(started.entries.values_list("client_id", flat=True)) == [client.pk]
    assert not next_week.entries.exists()


def test_a_visit_already_recorded_stays_on_the_old_schedule(account_manager, supervisor, team2_manager):
    client = make_client(account_manager, "王五")
    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=MONDAY).schedule
    schedule.entries.all().delete()
    entry = schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=TODAY)
    started = at(TODAY, 10)
    data = {"started_at": started, "ended_at": started + timedelta(minutes=30)}
    visit_record(actor=account_manager, client=client, data=data, entry=entry, signature=SIGNATURE)

    hand_over(supervisor, client, team2_manager)

    assert ScheduleEntry.objects.get(pk=entry.pk).schedule == schedule
    assert not VisitSchedule.objects.filter(owner=team2_manager).exists()


def test_pending_survey_invitations_follow_the_client(org, account_manager, supervisor, team2_manager, admin):
    # Given a round asking two of the AM's key clients, one of whom already answered
    client = make_client(account_manager, "王五", tier="key")
    answered_client = make_client(account_manager, "赵六", tier="key")
    survey_round = make_round(admin, target=SurveyRound.Target.KEY_CLIENTS)
    answer(invitation_of(survey_round, answered_client), actor=account_manager)

    # When both clients are handed over
    client_handover(
        actor=supervisor, client_ids=[client.pk, answered_client.pk], to_staff=team2_manager, reason="调岗"
    )

    # then the pending invitation is the new owner's to record; the answered one stays
    pending = invitation_of(survey_round, client)
    assert (pending.owner_id, pending.org_node_id) == (team2_manager.pk, org.tm2.pk)
    done = invitation_of(survey_round, answered_client)
    assert done.state == SurveyInvitation.State.ANSWERED and done.owner_id == account_manager.pk
    response = answer(pending, actor=team2_manager)
    assert response.owner_id == team2_manager.pk
    entry = AuditEntry.objects.get(event=AuditEvent.SURVEY_ROUND_CHANGED, detail__via="client_handover")
    assert entry.detail["invitations"] == {str(pending.pk): account_manager.pk}


def test_the_visit_work_follows_in_a_number_of_queries_that_does_not_grow_with_the_clients(
    org, account_manager, supervisor, team2_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amdesk.visits.services.handover import visit_work_follows_clients

    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=MONDAY).schedule
    schedule.entries.all().delete()

    def clients_with_work(names):
        made = []
        for name in names:
            client = make_client(account_manager, name)
            record_visit(account_manager, client, TODAY - timedelta(days=1), market_anomaly="门店停业")
            schedule_entry_add(actor=account_manager, schedule=schedule, client=client, day=TODAY)
            made.append(client.pk)
        return made

    def queries(client_ids):
        with CaptureQueriesContext(connection) as captured:
            moved = visit_work_follows_clients(
                actor=supervisor, client_ids=client_ids, to_staff=team2_manager
            )
        assert moved == {"findings": len(client_ids), "entries": len(client_ids)}
        return len(captured)

    few, many = clients_with_work(["甲", "乙"]), clients_with_work(["丙", "丁", "戊", "己", "庚"])
    # (the first call, of the most clients, also starts the new AM's schedule of the week)
    assert queries(many) <= queries(few) + 1
