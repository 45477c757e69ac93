"""The SLA sweep: one warning to the owner before a deadline, one escalation to the supervisor at a
breach, idempotent; the cron command and the background task run it."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.service.models import ServiceAlert, Ticket, TicketEvent
from amdesk.service.selectors import alerts_for, desk_tickets
from amdesk.service.services import alert_mark_read, ticket_sla_sweep, ticket_transition
from amdesk.service.tasks import sla_sweep_task
from tests.clients.factories import make_client
from tests.service.factories import make_service_desk, open_ticket, walk

SH = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(local("2026-11-23 10:00"), tick=False)
    return time_machine


def test_a_warning_once_inside_the_window(account_manager, supervisor, monday):
    ticket = open_ticket(account_manager)  # first feedback due 16:00, warned from 14:30
    assert ticket_sla_sweep(now=local("2026-11-23 14:00")).warnings == 0
    result = ticket_sla_sweep(now=local("2026-11-23 14:40"))
    assert (result.warnings, result.escalations) == (1, 0)
    alert = ServiceAlert.objects.get()
    assert (alert.recipient, alert.ticket, alert.alert_kind, alert.deadline) == (
        account_manager,
        ticket,
        "warning",
        "first_feedback",
    )
    again = ticket_sla_sweep(now=local("2026-11-23 15:00"))
    assert (again.warnings, again.escalations) == (0, 0)
    assert ServiceAlert.objects.count() == 1


def test_a_breach_is_escalated_once_to_the_team_supervisor(account_manager, supervisor, monday):
    ticket = open_ticket(account_manager)
    result = ticket_sla_sweep(now=local("2026-11-23 16:05"))
    assert result.escalations == 1
    ticket.refresh_from_db()
    assert ticket.escalated_to == supervisor and ticket.escalated_at == local("2026-11-23 16:05")
    alert = ServiceAlert.objects.get(alert_kind="breach")
    assert alert.recipient == supervisor and alert.deadline == "first_feedback"
    event = TicketEvent.objects.get(ticket=ticket, action="escalate")
    assert event.actor is None and event.data["to"] == supervisor.pk
    assert AuditEntry.objects.filter(event=AuditEvent.TICKET_ESCALATED, target_id=str(ticket.pk)).count() == 1
    assert ticket_sla_sweep(now=local("2026-11-23 17:00")).escalations == 0
    assert ticket_sla_sweep(now=local("2026-11-24 09:00")).escalations == 0
    assert ServiceAlert.objects.filter(alert_kind="breach").count() == 1


def test_the_resolution_deadline_escalates_separately(account_manager, supervisor, monday):
    walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    assert ticket_sla_sweep(now=local("2026-11-25 17:00")).warnings == 1  # warned from Wed 16:00
    assert ticket_sla_sweep(now=local("2026-11-26 10:30")).escalations == 1
    assert set(ServiceAlert.objects.values_list("alert_kind", "deadline")) == {
        ("warning", "resolution"),
        ("breach", "resolution"),
    }


def test_a_supervisors_own_ticket_goes_to_the_next_leader_up(supervisor, branch_head, monday):
    client = make_client(supervisor, "赵一")  # the supervisor's own client, in the team he leads
    ticket = open_ticket(supervisor, client)
    ticket_sla_sweep(now=local("2026-11-23 16:05"))
    ticket.refresh_from_db()
    assert ticket.escalated_to == branch_head


def test_another_teams_breach_goes_to_its_supervisor(other_manager, other_supervisor, supervisor, monday):
    open_ticket(other_manager)
    ticket_sla_sweep(now=local("2026-11-23 16:05"))
    assert list(ServiceAlert.objects.filter(alert_kind="breach").values_list("recipient", flat=True)) == [
        other_supervisor.pk
    ]


def test_paused_and_resolved_tickets_are_left_alone(account_manager, supervisor, monday):
    walk(open_ticket(account_manager), account_manager, "give_first_feedback", "wait_for_client")
    walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    result = ticket_sla_sweep(now=local("2026-11-30 10:00"))
    assert (result.warnings, result.escalations) == (0, 0)


def test_a_ticket_paused_after_its_deadline_is_escalated(account_manager, supervisor, monday):
    """Paused at 10:02, two minutes after the resolution was due and before the sweep came by: the
    breach is escalated all the same; the pause does not hide it."""
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-26 10:02"))
    walk(ticket, account_manager, "wait_for_client")
    assert ticket_sla_sweep(now=local("2026-11-26 10:05")).escalations == 1
    alert = ServiceAlert.objects.get(alert_kind="breach")
    assert (alert.recipient, alert.deadline) == (supervisor, "resolution")
    # A ticket paused in time is left alone.
    early = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "wait_for_client")
    assert ticket_sla_sweep(now=local("2026-12-30 10:00")).escalations == 0
    assert not ServiceAlert.objects.filter(ticket=early).exists()


def test_a_deadline_pushed_by_a_pause_is_a_new_deadline(account_manager, supervisor, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    ticket_sla_sweep(now=local("2026-11-25 17:00"))  # warned for Thu 10:00
    monday.move_to(local("2026-11-25 18:00"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-26 18:00"))
    ticket = walk(ticket, account_manager, "resume")  # one working day paused: due Fri 10:00
    assert ticket.resolution_due == local("2026-11-27 10:00")
    assert ticket_sla_sweep(now=local("2026-11-27 10:05")).escalations == 1
    assert (
        ServiceAlert.objects.filter(ticket=ticket, alert_kind="breach").get().due_at == ticket.resolution_due
    )


def test_the_desk_counts_and_alerts(account_manager, supervisor, team2_manager, monday):
    open_ticket(account_manager)
    walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    open_ticket(team2_manager)
    ticket_sla_sweep(now=local("2026-11-23 16:05"))
    monday.move_to(local("2026-11-23 16:10"))
    mine = desk_tickets(account_manager)
    assert (mine["mine_open"], mine["mine_breached"], mine["mine_due_soon"]) == (2, 1, 0)
    assert mine["alerts_unread"] == 0 and mine["oversees"] is False
    boss = desk_tickets(supervisor)
    assert (boss["scope_breached"], boss["awaiting_approval"], boss["alerts_unread"]) == (2, 0, 2)
    assert alert_mark_read(actor=supervisor, alert_ids=[alerts_for(supervisor).first().pk]) == 1
    assert alerts_for(supervisor, unread_only=True).count() == 1
    assert alert_mark_read(actor=account_manager) == 0  # not his alerts


def test_the_desk_needs_few_queries(account_manager, supervisor, monday, django_assert_max_num_queries):
    for _ in range(5):
        open_ticket(account_manager)
    with django_assert_max_num_queries(6):
        desk_tickets(supervisor)


def test_the_cron_command_and_the_task(account_manager, supervisor, monday):
    open_ticket(account_manager)
    out = StringIO()
    call_command("service-sla", "--at", "2026-11-23T16:05", stdout=out)
    assert out.getvalue().strip() == "0 warnings, 1 escalations."
    call_command("service-sla", "--at", "2026-11-23T16:05", stdout=out)
    assert ServiceAlert.objects.count() == 1
    open_ticket(account_manager)
    monday.move_to(local("2026-11-23 16:05"))
    result = sla_sweep_task.enqueue()
    assert result.return_value == {"warnings": 0, "escalations": 1}
    assert Ticket.objects.filter(escalated_to=supervisor).count() == 2


def test_the_task_reenqueues_itself_on_a_backend_that_can_wait(account_manager, supervisor, monday, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    sla_sweep_task.func(repeat_minutes=5)
    queued = DBTaskResult.objects.get()
    assert queued.run_after == local("2026-11-23 10:05")
    assert queued.args_kwargs["kwargs"]["repeat_minutes"] == 5


def test_only_one_chain_of_the_task_runs(account_manager, supervisor, monday, settings):
    """Enqueued twice (by hand, or by each deploy), the task used to run two chains forever."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    sla_sweep_task.func(repeat_minutes=5)  # a first chain
    sla_sweep_task.func(repeat_minutes=5)  # a second one, started later: it takes over
    from amdesk.service.models import ServiceSettings

    queued = [q.args_kwargs["kwargs"] for q in DBTaskResult.objects.all()]
    current = ServiceSettings.current().sweep_chain  # the chain started last
    [older] = [kwargs for kwargs in queued if kwargs["chain"] != current]
    [newer] = [kwargs for kwargs in queued if kwargs["chain"] == current]
    DBTaskResult.objects.all().delete()
    # The older chain's next run sweeps but schedules nothing more.
    assert sla_sweep_task.func(**older) == {"warnings": 0, "escalations": 0}
    assert not DBTaskResult.objects.exists()
    # The newer one goes on, once; the same run played twice does not fork it.
    sla_sweep_task.func(**newer)
    sla_sweep_task.func(**newer)
    assert DBTaskResult.objects.count() == 1


def test_the_immediate_backend_is_back(account_manager, supervisor, monday):
    """(Runs after the test above: the settings override did not leak into later tests.)"""
    assert sla_sweep_task.enqueue(repeat_minutes=5).return_value == {"warnings": 0, "escalations": 0}


def test_the_desk_count_of_alerts_drops_a_ticket_reassigned_away(
    account_manager, supervisor, team2_manager, monday
):
    # Given the AM warned about two tickets near their first-feedback deadline
    kept = open_ticket(account_manager)
    moved = open_ticket(account_manager)
    monday.move_to(local("2026-11-23 14:45"))
    ticket_sla_sweep(now=local("2026-11-23 14:45"))
    assert desk_tickets(account_manager)["alerts_unread"] == 2
    # When the supervisor gives one to a colleague of another team
    ticket_transition(
        actor=supervisor,
        ticket=moved,
        action="reassign",
        version=moved.version,
        note="调整分工",
        data={"owner": team2_manager.pk},
    )
    # Then the desk counts what his alert list shows: the one he still has
    assert desk_tickets(account_manager)["alerts_unread"] == 1
    assert ServiceAlert.objects.filter(recipient=account_manager, ticket=kept).exists()


def test_only_approvers_are_shown_the_approvals_waiting(org, supervisor, monday):
    desk_agent = make_service_desk(org)
    assert desk_tickets(supervisor)["may_approve"] is True
    assert desk_tickets(desk_agent).get("may_approve") is not True
