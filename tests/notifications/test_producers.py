"""Each producer creates its notification once: running the sweep twice creates nothing twice;
a kind the user switched off is not created."""

from datetime import timedelta

from django.utils import timezone

from amdesk.clients.services.archive import client_handover
from amdesk.notifications.kinds import (
    DOCUMENT_DUE,
    DOCUMENT_RETURNED,
    FOLLOWUP_DUE,
    HANDOVER_RECEIVED,
    SLA_ESCALATION,
    SLA_WARNING,
    VISIT_OVERDUE,
)
from amdesk.notifications.models import Notification
from amdesk.notifications.producers import notifications_sweep
from amdesk.notifications.services import preferences_save
from amdesk.planning.models import FollowUpAction, FollowUpPlan
from amdesk.service.services import ticket_sla_sweep
from tests.clients.factories import make_client
from tests.planning.factories import review, write_log
from tests.service.factories import open_ticket
from tests.visits.factories import created_on, norm


def _twice(now=None) -> tuple[dict, dict]:
    now = now or timezone.now()
    return notifications_sweep(now=now), notifications_sweep(now=now)


def test_sla_warning_and_escalation_once(frozen, account_manager, supervisor):
    # Given a ticket whose deadlines passed, swept by the service SLA sweep
    ticket = open_ticket(account_manager)
    warn_at = ticket.first_feedback_warn_at + timedelta(minutes=1)
    ticket_sla_sweep(now=warn_at)
    later = ticket.resolution_due + timedelta(hours=1)
    ticket_sla_sweep(now=later)
    # When notifications are swept twice
    first, second = _twice(later)
    # Then the owner has his warning(s) and the supervisor his escalation(s), once
    assert first[SLA_WARNING] >= 1 and first[SLA_ESCALATION] >= 1
    assert sum(second.values()) == 0
    assert Notification.objects.filter(user=account_manager, kind=SLA_WARNING).count() == first[SLA_WARNING]
    assert Notification.objects.filter(user=supervisor, kind=SLA_ESCALATION).count() == first[SLA_ESCALATION]
    escalation = Notification.objects.filter(user=supervisor, kind=SLA_ESCALATION).first()
    assert escalation.key.startswith("alert:") and escalation.url.endswith(f"/{ticket.pk}/")


def test_document_due_once(frozen, account_manager):
    today = timezone.localdate()
    log = write_log(account_manager, day=today)  # a draft, due today
    first, second = _twice()
    assert first[DOCUMENT_DUE] == 1 and second[DOCUMENT_DUE] == 0
    note = Notification.objects.get(user=account_manager, kind=DOCUMENT_DUE)
    assert note.key == f"planning.worklog:{log.pk}:{today.isoformat()}"
    assert note.url == log.get_absolute_url()


def test_document_due_by_the_calendars_current_due_moment(frozen, account_manager):
    # Given today's draft whose stored due moment moved a week on (as when holidays were published),
    # and an old draft stored as due today
    from amdesk.planning.models import WorkLog

    log = write_log(account_manager, day=timezone.localdate())
    old = write_log(account_manager, day=timezone.localdate() - timedelta(days=14))
    WorkLog.objects.filter(pk=log.pk).update(due_at=timezone.now() + timedelta(days=7))
    WorkLog.objects.filter(pk=old.pk).update(due_at=timezone.now() + timedelta(hours=2))
    # Then the sweep tells of today's, due today by the calendar, and not of the old one
    first, _second = _twice()
    assert first[DOCUMENT_DUE] == 1
    note = Notification.objects.get(user=account_manager, kind=DOCUMENT_DUE)
    assert note.key == f"planning.worklog:{log.pk}:{timezone.localdate().isoformat()}"


def test_returned_document_once(frozen, account_manager, supervisor):
    log = write_log(account_manager, submit=True)
    review(supervisor, log, accept=False, comment="请补充问题描述")
    first, second = _twice()
    assert first[DOCUMENT_RETURNED] == 1 and second[DOCUMENT_RETURNED] == 0
    note = Notification.objects.get(kind=DOCUMENT_RETURNED)
    assert note.user == account_manager and note.body == "请补充问题描述"


def test_followup_due_once(frozen, account_manager):
    client = make_client(account_manager)
    plan = FollowUpPlan.objects.create(
        owner=account_manager, org_node=account_manager.org_node, client=client, client_type="won"
    )
    today = timezone.localdate()
    FollowUpAction.objects.create(plan=plan, kind="phone", planned_on=today)
    FollowUpAction.objects.create(plan=plan, kind="visit", planned_on=today + timedelta(days=1))
    FollowUpAction.objects.create(plan=plan, kind="visit", planned_on=today + timedelta(days=5))  # later
    FollowUpAction.objects.create(plan=plan, kind="phone", planned_on=today, done_on=today)  # done
    first, second = _twice()
    assert first[FOLLOWUP_DUE] == 2 and second[FOLLOWUP_DUE] == 0


def test_handover_once_per_handover(frozen, account_manager, team2_manager, supervisor):
    clients = [make_client(account_manager, name=name) for name in ("张三", "李四")]
    client_handover(
        actor=supervisor, client_ids=[c.pk for c in clients], to_staff=team2_manager, reason="调岗"
    )
    first, second = _twice()
    assert first[HANDOVER_RECEIVED] == 1 and second[HANDOVER_RECEIVED] == 0
    note = Notification.objects.get(kind=HANDOVER_RECEIVED)
    assert note.user == team2_manager and "2" in note.title and note.body == "调岗"


def test_overdue_visit_once(frozen, account_manager):
    norm("all clients", 30)
    today = timezone.localdate()
    late = make_client(account_manager, name="王五")
    created_on(late, today - timedelta(days=33))  # due 3 days ago
    long_ago = make_client(account_manager, name="赵六")
    created_on(long_ago, today - timedelta(days=100))  # overdue before the look-back window
    fine = make_client(account_manager, name="钱七")
    created_on(fine, today - timedelta(days=3))
    first, second = _twice()
    assert first[VISIT_OVERDUE] == 1 and second[VISIT_OVERDUE] == 0
    assert Notification.objects.get(kind=VISIT_OVERDUE).key.startswith(f"client:{late.pk}:")


def test_switched_off_kind_is_not_created(frozen, account_manager):
    preferences_save(actor=account_manager, muted_kinds=[DOCUMENT_DUE], digest=True)
    write_log(account_manager, day=timezone.localdate())
    created = notifications_sweep(now=timezone.now())
    assert created[DOCUMENT_DUE] == 0
    assert not Notification.objects.filter(kind=DOCUMENT_DUE).exists()
    # switched on again: the next sweep catches up
    preferences_save(actor=account_manager, muted_kinds=[], digest=True)
    assert notifications_sweep(now=timezone.now())[DOCUMENT_DUE] == 1


def test_sweep_command_and_task(frozen, account_manager, capsys):
    from django.core.management import call_command

    from amdesk.notifications.tasks import notifications_sweep_task

    write_log(account_manager, day=timezone.localdate())
    call_command("notifications-sweep")
    assert "1 notifications created" in capsys.readouterr().out
    result = notifications_sweep_task.func(repeat_minutes=5)  # immediate backend: no re-enqueue
    assert sum(result["created"].values()) == 0
