"""The SLA clock: 6 hours wall clock for first feedback, 3 working days for resolution (official
calendar), paused while waiting on the client, per-type/priority policies, and the status shown."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amdesk.core.calendar import add_working_days_at, working_seconds_between
from amdesk.service.models import SlaPolicy, Ticket
from amdesk.service.selectors import access_ticket, ticket_countdown, tickets_for
from amdesk.service.services import sla_pause_end
from tests.service.factories import open_ticket, walk

SH = ZoneInfo("Asia/Shanghai")


def _default_row(**numbers) -> None:
    """The seeded default row (any type, any priority), edited as an admin would."""
    assert SlaPolicy.objects.filter(ticket_type="", priority="").update(**numbers) == 1


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


def test_waiting_on_the_client_pushes_the_resolution_by_the_time_paused(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-23 12:00"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-24 09:00"))
    countdown = ticket_countdown(ticket)
    assert countdown.status == "paused"
    assert countdown.remaining == local("2026-11-26 10:00") - local("2026-11-23 12:00")  # frozen at the pause
    monday.move_to(local("2026-11-25 12:30"))  # paused 48 h 30 min
    ticket = walk(ticket, account_manager, "resume")
    # Pushed by the paused working-day time (48 h 30 min, all on working days), stepping over the
    # weekend: Thursday 10:00 + 48 h 30 min of working days is Monday 10:30, never a Saturday.
    assert ticket.resolution_due == local("2026-11-30 10:30")
    assert ticket.paused_seconds == ticket.resolution_paused_seconds == 48 * 3600 + 1800
    assert ticket.resolution_warn_at == local("2026-11-27 16:30")  # the warning moves along
    # The working time left is the working time that was left when the pause began.
    assert working_seconds_between(local("2026-11-25 12:30"), ticket.resolution_due) == (
        working_seconds_between(local("2026-11-23 12:00"), local("2026-11-26 10:00"))
    )


def test_a_pause_over_a_weekend_gives_back_only_its_working_hours(account_manager, monday):
    # Given a ticket received on Wednesday 10:00: due three working days later, Monday 10:00
    monday.move_to(local("2026-11-25 10:00"))
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    assert ticket.resolution_due == local("2026-11-30 10:00")
    # When the client keeps it waiting from Friday 18:00 to Monday 09:00
    monday.move_to(local("2026-11-27 18:00"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-30 09:00"))
    ticket = walk(ticket, account_manager, "resume")
    # Then the deadline moves by the 15 working hours of the pause (6 on Friday, 9 on Monday), not
    # by the 63 hours of the wall clock (a working day's clock runs all its 24 hours)
    assert ticket.resolution_paused_seconds == 15 * 3600
    assert ticket.paused_seconds == 63 * 3600
    assert ticket.resolution_due == local("2026-12-01 01:00")


def test_a_pause_of_a_few_hours_pushes_the_deadline_by_those_hours(account_manager, monday):
    """Whole-day accounting ignored a pause shorter than a day: five hours are now five hours."""
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "wait_for_client")
    monday.move_to(local("2026-11-23 15:00"))
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.resolution_due == local("2026-11-26 15:00")
    assert ticket.resolution_paused_seconds == 5 * 3600


def test_a_short_pause_across_midnight_is_not_a_day(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-23 23:50"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-24 00:10"))
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.resolution_due == local("2026-11-26 10:20")


def test_a_pause_before_the_first_feedback_pushes_both_deadlines(account_manager, monday):
    ticket = open_ticket(account_manager)
    ticket.paused_at = local("2026-11-23 11:00")
    sla_pause_end(ticket, local("2026-11-23 12:00"))
    assert ticket.first_feedback_due == local("2026-11-23 17:00")
    assert ticket.resolution_due == local("2026-11-26 11:00")


def test_a_pause_before_the_first_feedback_pushes_it_by_the_wall_clock(account_manager, monday):
    ticket = open_ticket(account_manager)
    ticket.paused_at = local("2026-11-23 11:00")
    sla_pause_end(ticket, local("2026-11-23 13:30"))
    assert ticket.first_feedback_due == local("2026-11-23 18:30")
    assert ticket.first_feedback_paused_seconds == 9000


def test_policies_per_type_and_priority_with_a_default_row(account_manager, supervisor, monday):
    _default_row(first_feedback_hours=8, resolution_working_days=5)
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
    # Raising the priority of an open ticket recomputes its deadlines (the supervisor does it).
    from amdesk.service.services import ticket_update

    ticket = open_ticket(account_manager)
    ticket = ticket_update(
        actor=supervisor, ticket=ticket, data={"priority": "urgent"}, version=ticket.version
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


def test_the_most_specific_policy_applies_and_the_stricter_of_type_and_priority(account_manager, monday):
    _default_row(first_feedback_hours=4, resolution_working_days=5)
    SlaPolicy.objects.create(priority="urgent", first_feedback_hours=2, resolution_working_days=4)
    SlaPolicy.objects.create(ticket_type="complaint", first_feedback_hours=8, resolution_working_days=1)
    SlaPolicy.objects.create(ticket_type="suggestion", first_feedback_hours=24, resolution_working_days=10)
    # An urgent complaint matches the urgent row and the complaint row alike: the stricter of them,
    # deadline by deadline: 2 hours (urgent row) and 1 working day (complaint row).
    urgent = open_ticket(account_manager, priority="urgent")
    assert urgent.first_feedback_due == local("2026-11-23 12:00")
    assert urgent.resolution_due == local("2026-11-24 10:00")
    # A normal complaint follows the complaint row, not the default.
    normal = open_ticket(account_manager)
    assert normal.first_feedback_due == local("2026-11-23 18:00")
    assert normal.resolution_due == local("2026-11-24 10:00")
    # A suggestion row may give more time than the default.
    suggestion = open_ticket(account_manager, ticket_type="suggestion")
    assert (suggestion.first_feedback_due, suggestion.resolution_due) == (
        local("2026-11-24 10:00"),
        local("2026-12-07 10:00"),
    )
    # A consultation matches only the default row.
    consultation = open_ticket(account_manager, ticket_type="consultation")
    assert consultation.first_feedback_due == local("2026-11-23 14:00")


def test_the_default_policy_is_a_row_the_admin_edits(db):
    row = SlaPolicy.objects.get(ticket_type="", priority="", is_active=True)
    assert (row.first_feedback_hours, row.resolution_working_days) == (6, 3)


def test_the_owner_may_not_change_the_priority_or_the_type(account_manager, monday):
    from django.core.exceptions import PermissionDenied

    from amdesk.service.services import ticket_update

    ticket = open_ticket(account_manager)
    for change in ({"priority": "low"}, {"ticket_type": "suggestion"}):
        with pytest.raises(PermissionDenied):
            ticket_update(actor=account_manager, ticket=ticket, data=change, version=ticket.version)
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.ticket_type, ticket.first_feedback_due) == (
        "normal",
        "complaint",
        local("2026-11-23 16:00"),
    )
    # Sending the same values back (a form with every field) is no change and allowed.
    ticket_update(
        actor=account_manager,
        ticket=ticket,
        data={"priority": "normal", "subject": "排队"},
        version=ticket.version,
    )


def test_a_passed_deadline_stays_when_the_priority_changes(account_manager, supervisor, monday):
    """Lowering the priority after the first feedback was due gives it no more time: the breach stands;
    the resolution deadline, still running, is recomputed; the event records old → new."""
    from amdesk.core.audit_events import AuditEvent
    from amdesk.core.models import AuditEntry
    from amdesk.service.models import TicketEvent
    from amdesk.service.services import ticket_update

    SlaPolicy.objects.create(priority="low", first_feedback_hours=24, resolution_working_days=5)
    ticket = open_ticket(account_manager)
    monday.move_to(local("2026-11-23 17:00"))  # first feedback due 16:00: breached
    ticket = ticket_update(actor=supervisor, ticket=ticket, data={"priority": "low"}, version=ticket.version)
    assert ticket.first_feedback_due == local("2026-11-23 16:00")
    assert ticket.sla_status_at(local("2026-11-23 17:00")) == "breached"
    assert ticket.resolution_due == local("2026-11-30 10:00")  # not passed: five working days now
    event = TicketEvent.objects.get(ticket=ticket, action="update")
    assert event.data["changes"]["priority"] == ["normal", "low"]
    assert event.data["changes"]["resolution_due"][1].startswith("2026-11-30T")
    assert "first_feedback_due" not in event.data["changes"]
    entry = AuditEntry.objects.get(event=AuditEvent.TICKET_CHANGED, target_id=str(ticket.pk))
    assert entry.detail["changes"]["priority"] == ["normal", "low"]


def test_a_given_first_feedback_keeps_its_deadline(account_manager, supervisor, monday):
    """A late first feedback stays late: a longer policy chosen afterwards does not make it timely."""
    from amdesk.service.services import ticket_update

    SlaPolicy.objects.create(priority="low", first_feedback_hours=24, resolution_working_days=5)
    ticket = open_ticket(account_manager)
    monday.move_to(local("2026-11-23 17:00"))
    ticket = walk(ticket, account_manager, "give_first_feedback")  # an hour late
    ticket = ticket_update(actor=supervisor, ticket=ticket, data={"priority": "low"}, version=ticket.version)
    assert ticket.first_feedback_due == local("2026-11-23 16:00")


def test_pausing_after_the_deadline_does_not_hide_the_breach(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-26 11:00"))  # an hour past the resolution deadline
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-27 11:00"))
    assert ticket_countdown(ticket).status == "breached"
    assert ticket_countdown(ticket).minutes == -60  # frozen at the pause: overdue by an hour
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.resolution_due == local("2026-11-26 10:00")  # not pushed: the breach stands
    assert ticket.resolution_paused_seconds == 0


def test_pausing_before_the_deadline_is_a_pause(account_manager, monday):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    monday.move_to(local("2026-11-26 09:00"))
    ticket = walk(ticket, account_manager, "wait_for_client")
    monday.move_to(local("2026-11-27 11:00"))
    assert ticket_countdown(ticket).status == "paused"
