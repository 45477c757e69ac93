"""Scheduled reports: sent once per period, to each recipient with HIS scope, as an attachment."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.reports.models import ReportSchedule
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
