"""Scheduled reports: sent once per period, to each recipient with HIS scope, as an attachment."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.reports.models import ReportDelivery, ReportSchedule
from amdesk.reports.services import schedules_send_due
from amdesk.reports.tasks import reports_send_task

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def schedule(supervisor, other_supervisor):
    supervisor.email, other_supervisor.email = "sup@example.com", "other@example.com"
    supervisor.save(update_fields=["email"])
    other_supervisor.save(update_fields=["email"])
    row = ReportSchedule.objects.create(
        name="SLA", report_code="service-sla", format="xlsx", day=2, at=time(8, 0)
    )
    row.recipients.add(supervisor, other_supervisor)
    return row


def names_in(message) -> set[str]:
    _name, content, _type = message.attachments[0]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}


def test_sent_once_per_period_with_each_recipients_scope(
    tickets, schedule, account_manager, team2_manager, other_manager
):
    # Before the day and time: nothing
    assert schedules_send_due(now=datetime(2026, 12, 2, 7, 59, tzinfo=SH)).messages == 0
    assert mail.outbox == []
    # At the time: November's report, one message per recipient
    result = schedules_send_due(now=datetime(2026, 12, 2, 8, 0, tzinfo=SH))
    assert result.sent == [(schedule.pk, "2026-11")] and result.messages == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["sup@example.com"].attachments[0][0] == "service-sla-2026-11.xlsx"
    sup_names = names_in(by_recipient["sup@example.com"])
    other_names = names_in(by_recipient["other@example.com"])
    assert {account_manager.full_name, team2_manager.full_name} <= sup_names
    assert other_manager.full_name not in sup_names
    assert other_manager.full_name in other_names and account_manager.full_name not in other_names
    # Again, later in the month, and by the command: nothing more
    schedules_send_due(now=datetime(2026, 12, 20, 9, 0, tzinfo=SH))
    call_command("reports-send", "--at", "2026-12-25T10:00")
    assert len(mail.outbox) == 2
    schedule.refresh_from_db()
    assert schedule.last_sent_for == "2026-11"
    assert AuditEntry.objects.filter(event=AuditEvent.REPORT_SENT).count() == 1
    # Next month: December's
    schedules_send_due(now=datetime(2027, 1, 3, 9, 0, tzinfo=SH))
    assert len(mail.outbox) == 4 and "2026-12" in mail.outbox[-1].attachments[0][0]


def test_disabled_and_quarterly_schedules(schedule, time_machine):
    schedule.enabled = False
    schedule.save()
    assert schedules_send_due(now=datetime(2026, 12, 2, 9, 0, tzinfo=SH)).messages == 0
    schedule.enabled, schedule.period_kind = True, ReportSchedule.PeriodKind.PREVIOUS_QUARTER
    schedule.save()
    # the quarter's first month only: 2 January sends Q4, 2 February sends nothing new
    result = schedules_send_due(now=datetime(2027, 1, 2, 9, 0, tzinfo=SH))
    assert result.sent == [(schedule.pk, "2026-Q4")]
    assert schedules_send_due(now=datetime(2027, 2, 2, 9, 0, tzinfo=SH)).sent == []


def test_the_task_runs_the_same_send(schedule, time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=SH), tick=False)
    reports_send_task.enqueue()
    assert len(mail.outbox) == 2
    assert ReportSchedule.objects.get(pk=schedule.pk).last_sent_for == "2026-11"


def test_demo_builder_makes_one_schedule(supervisor):
    from random import Random

    from amdesk.demo.reports import build_reports

    build_reports(rng=Random(1), today=date(2026, 12, 1))
    build_reports(rng=Random(1), today=date(2026, 12, 1))
    only = ReportSchedule.objects.get()
    assert list(only.recipients.all()) == [supervisor]


class FailsOnceFor(locmem.EmailBackend):
    """The test outbox, except that the first message to one of `addresses` fails (SMTP down)."""

    addresses: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in FailsOnceFor.addresses:
                FailsOnceFor.addresses.discard(message.to[0])
                raise ConnectionError("mail server unreachable")
        return super().send_messages(messages)


def test_a_failed_recipient_is_retried_next_run_and_no_one_gets_it_twice(schedule, settings, caplog):
    settings.EMAIL_BACKEND = "tests.reports.test_schedules.FailsOnceFor"
    FailsOnceFor.addresses = {"sup@example.com"}  # the first recipient: the other comes after him
    # Given the mail server refuses the first recipient's message
    first = schedules_send_due(now=datetime(2026, 12, 2, 8, 0, tzinfo=SH))
    # then the other recipient has his, the period is not complete, the failure is logged
    assert [m.to for m in mail.outbox] == [["other@example.com"]]
    assert (first.messages, first.failed, first.sent) == (1, 1, [])
    assert ReportSchedule.objects.get(pk=schedule.pk).last_sent_for == ""
    assert "sending to" in caplog.text
    # When the next run comes: only the failed recipient gets it, and the period is complete
    second = schedules_send_due(now=datetime(2026, 12, 2, 8, 15, tzinfo=SH))
    assert [m.to for m in mail.outbox] == [["other@example.com"], ["sup@example.com"]]
    assert (second.messages, second.failed, second.sent) == (1, 0, [(schedule.pk, "2026-11")])
    sent = ReportDelivery.objects.filter(schedule=schedule, period="2026-11", sent_at__isnull=False)
    assert sent.count() == 2
    # and a third run sends nothing
    assert schedules_send_due(now=datetime(2026, 12, 2, 8, 30, tzinfo=SH)).messages == 0
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(event=AuditEvent.REPORT_SENT).count() == 2


def test_a_claim_held_by_another_run_is_not_sent_again_until_it_expires(schedule, supervisor):
    # Given another run claimed the supervisor's message a minute ago and is still sending it
    ReportDelivery.objects.create(
        schedule=schedule,
        period="2026-11",
        recipient=supervisor,
        claimed_at=datetime(2026, 12, 2, 8, 0, tzinfo=SH),
    )
    result = schedules_send_due(now=datetime(2026, 12, 2, 8, 1, tzinfo=SH))
    assert [m.to for m in mail.outbox] == [["other@example.com"]] and result.sent == []
    # When that run died: after the claim expires the next run sends it
    result = schedules_send_due(now=datetime(2026, 12, 2, 9, 30, tzinfo=SH))
    assert [m.to for m in mail.outbox][-1] == ["sup@example.com"] and len(mail.outbox) == 2
    assert result.sent == [(schedule.pk, "2026-11")]
