"""The SLA clock: 6 hours wall clock for first feedback, 3 working days for resolution (official
calendar), paused while waiting on the client, per-type/priority policies, and the status shown."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amdesk.core.calendar import add_working_days_at
from amdesk.service.models import SlaPolicy, Ticket
from amdesk.service.selectors import access_ticket, ticket_countdown, tickets_for
from amdesk.service.services import sla_pause_end
from tests.service.factories import open_ticket, walk

SH = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(local("2026-11-23 10:00"), tick=False)
    return time_machine


def test_default_deadlines_six_hours_and_three_working_days(account_manager, monday):
    ticket = open_ticket(account_manager)
    assert ticket.first_feedback_due == local("2026-11-23 16:00")
    assert ticket.resolution_due == local("2026-11-26 10:00")
    # Warned when a quarter of the time is left.
    assert ticket.first_feedback_warn_at == local("2026-11-23 14:30")
    assert ticket.resolution_warn_at == local("2026-11-25 16:00")


def test_first_feedback_is_wall_clock_across_the_night(account_manager, time_machine):
    time_machine.move_to(local("2026-11-27 21:00"), tick=False)  # a Friday evening
    ticket = open_ticket(account_manager)
    assert ticket.first_feedback_due == local("2026-11-28 03:00")  # Saturday night: wall clock
    assert ticket.resolution_due == local("2026-12-02 21:00")  # Mon, Tue, Wed


def test_resolution_skips_the_national_day_holiday(account_manager, time_machine):
    """Received 2026-09-30 10:00 (the last working day before 国庆). chinesecalendar's 2026 data:
    10-01…10-07 off, 10-08 and 10-09 working, 10-10 (Saturday) a make-up working day 调休. So
    three working days are 10-08, 10-09, 10-10 and the resolution is due 10-10 10:00."""
    time_machine.move_to(local("2026-09-30 10:00"), tick=False)
    ticket = open_ticket(account_manager)
    assert ticket.resolution_due == local("2026-10-10 10:00")
    assert ticket.resolution_due == add_working_days_at(local("2026-09-30 10:00"), 3)
    assert ticket.first_feedback_due == local("2026-09-30 16:00")


def test_waiting_on_the_client_pushes_the_resolution_by_the_working_days_paused(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-23 12:00"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-24 09:00"))
    countdown = ticket_countdown(ticket)
    assert countdown.status == "paused"
    assert countdown.remaining == local("2026-11-26 10:00") - local("2026-11-23 12:00")  # frozen at the pause
    monday.move_to(local("2026-11-25 12:00"))  # paused over two working days (Tue, Wed)
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.resolution_due == local("2026-11-30 10:00")  # Thu + 2 working days: Fri, Mon
    assert ticket.paused_seconds == 2 * 24 * 3600
    assert ticket.resolution_warn_at == local("2026-11-29 16:00")  # the warning moves along (18 h before)


def test_a_pause_within_one_day_keeps_the_working_day_deadline(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "wait_for_client")
    monday.move_to(local("2026-11-23 15:00"))
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.resolution_due == local("2026-11-26 10:00")


def test_a_pause_before_the_first_feedback_pushes_it_by_the_wall_clock(account_manager, monday):
    ticket = open_ticket(account_manager)
    ticket.paused_at = local("2026-11-23 11:00")
    sla_pause_end(ticket, local("2026-11-23 13:30"))
    assert ticket.first_feedback_due == local("2026-11-23 18:30")
    assert ticket.first_feedback_paused_seconds == 9000


def test_policies_per_type_and_priority_with_a_default_row(account_manager, monday):
    SlaPolicy.objects.create(first_feedback_hours=8, resolution_working_days=5)  # the default row
    SlaPolicy.objects.create(
        ticket_type="complaint",
        priority="urgent",
        first_feedback_hours=2,
        resolution_working_days=1,
        warn_before_minutes=30,
    )
    urgent = open_ticket(account_manager, priority="urgent")
    assert urgent.first_feedback_due == local("2026-11-23 12:00")
    assert urgent.first_feedback_warn_at == local("2026-11-23 11:30")
    assert urgent.resolution_due == local("2026-11-24 10:00")
    ordinary = open_ticket(account_manager, ticket_type="suggestion")
    assert ordinary.first_feedback_due == local("2026-11-23 18:00")
    assert ordinary.resolution_due == local("2026-11-30 10:00")
    # Raising the priority of an open ticket recomputes its deadlines.
    from amdesk.service.services import ticket_update

    ticket = open_ticket(account_manager)
    ticket = ticket_update(
        actor=account_manager, ticket=ticket, data={"priority": "urgent"}, version=ticket.version
    )
    assert ticket.first_feedback_due == local("2026-11-23 12:00")


@pytest.mark.parametrize(
    ("moment", "status", "minutes"),
    [
        ("2026-11-23 13:00", "on_time", 180),
        ("2026-11-23 15:00", "due_soon", 60),
        ("2026-11-23 16:30", "breached", -30),
    ],
)
def test_the_countdown_and_status_before_the_first_feedback(account_manager, monday, moment, status, minutes):
    ticket = open_ticket(account_manager)
    monday.move_to(local(moment))
    countdown = ticket_countdown(ticket)
    assert (countdown.deadline, countdown.status, countdown.minutes) == ("first_feedback", status, minutes)
    # The list's SQL annotation agrees with the Python rule.
    row = tickets_for(account_manager).get(pk=ticket.pk)
    assert (row.sla_status, row.sla_due, row.sla_deadline_kind) == (status, countdown.due, "first_feedback")


def test_after_the_first_feedback_the_resolution_clock_counts(account_manager, monday):
    ticket = open_ticket(account_manager)
    monday.move_to(local("2026-11-23 17:00"))  # late first feedback
    ticket = walk(ticket, account_manager, "give_first_feedback")
    row = access_ticket(account_manager, ticket.pk)
    assert (row.sla_deadline_kind, row.sla_status) == ("resolution", "on_time")
    monday.move_to(local("2026-11-26 11:00"))
    assert tickets_for(account_manager).get(pk=ticket.pk).sla_status == "breached"
    assert tickets_for(account_manager).get(pk=ticket.pk).sla_rank == 0
    ticket = walk(ticket, account_manager, "resolve")
    row = tickets_for(account_manager).get(pk=ticket.pk)
    assert (row.sla_status, ticket_countdown(ticket).remaining) == ("missed", None)


def test_resolved_in_time_is_met(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    assert tickets_for(account_manager).get(pk=ticket.pk).sla_status == "met"
    assert ticket.sla_status_at(local("2026-12-30 10:00")) == "met"


def test_sla_filter_and_order_for_the_home_page(account_manager, monday):
    late = open_ticket(account_manager, subject="早")
    monday.move_to(local("2026-11-23 15:00"))
    soon = open_ticket(account_manager, subject="中")  # due 21:00, on time at 16:30
    monday.move_to(local("2026-11-23 16:30"))
    ordered = list(
        tickets_for(account_manager).order_by("sla_rank", "sla_due").values_list("pk", "sla_status")
    )
    assert ordered == [(late.pk, "breached"), (soon.pk, "on_time")]
    assert set(tickets_for(account_manager).filter(sla_status="breached")) == {late}
    assert Ticket.objects.get(pk=soon.pk).first_feedback_due - timedelta(hours=6) == local("2026-11-23 15:00")
