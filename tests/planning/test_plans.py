"""Weekly work arrangement, weekly summary, monthly work plan and monthly summary: due dates from the
working-day calendar, the owner writes and submits, his supervisor reads or returns, the computed
parts (visit schedule, indicator progress, MoM/YoY, completion, archive counts), the team board and
the desk card."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amdesk.clients.models import Client
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import MonthlyPlan, PlanningSettings, WeeklyArrangement
from amdesk.planning.selectors import (
    archive_counts,
    month_completion,
    month_indicators,
    planning_desk,
    team_board,
    week_progress,
    week_visit_schedule,
)
from amdesk.planning.services import StaleDocument, document_transition, plan_document_save, target_sheet_save
from amdesk.planning.services.plans import (
    arrangement_due_at,
    monthly_plan_due_at,
    monthly_summary_due_at,
    week_month,
    weekly_summary_due_at,
)
from amdesk.visits.models import ScheduleEntry, VisitSchedule
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.planning.factories import register, write_log

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
HOLIDAY_WEEK = date(2026, 9, 28)  # Mon–Wed working, National Day from Thursday 1 October
AFTER_HOLIDAY = date(2026, 10, 5)  # Mon–Wed holiday, Thu 8, Fri 9 and the make-up Saturday 10 working
SPRING_FESTIVAL = date(2026, 2, 16)  # no working day at all


def at(day: date, hour: int = 20) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def test_weekly_due_dates_follow_the_calendar(preset):
    assert arrangement_due_at(HOLIDAY_WEEK) == at(date(2026, 9, 28))
    assert weekly_summary_due_at(HOLIDAY_WEEK) == at(date(2026, 9, 30))  # the last working day
    assert arrangement_due_at(AFTER_HOLIDAY) == at(date(2026, 10, 8))  # the week's first working day
    assert weekly_summary_due_at(AFTER_HOLIDAY) == at(date(2026, 10, 10))  # the make-up Saturday
    # a week without working days: both are due on the next working day
    assert (
        arrangement_due_at(SPRING_FESTIVAL) == weekly_summary_due_at(SPRING_FESTIVAL) == at(date(2026, 2, 24))
    )
    # the holiday week's summary reports on September, the month of its last working day
    assert week_month(HOLIDAY_WEEK) == date(2026, 9, 1)


def test_the_offsets_are_settings(preset):
    settings = PlanningSettings.current()
    settings.arrangement_due_offset = 1
    settings.weekly_summary_due_offset = 1
    settings.monthly_plan_due_working_days = 1
    settings.save()
    assert arrangement_due_at(AFTER_HOLIDAY) == at(date(2026, 10, 9))
    assert weekly_summary_due_at(AFTER_HOLIDAY) == at(date(2026, 10, 9))
    assert monthly_plan_due_at(date(2026, 10, 1)) == at(date(2026, 10, 8))


def test_monthly_due_dates(preset):
    assert monthly_plan_due_at(date(2026, 10, 1)) == at(date(2026, 10, 10))  # 3rd working day: 8, 9, 10
    # September's summary: the 3rd working day of October
    assert monthly_summary_due_at(date(2026, 9, 1)) == at(date(2026, 10, 10))


def test_owner_writes_submits_and_the_supervisor_returns(account_manager, supervisor):
    # Given the account manager's draft arrangement of a week
    doc, created = plan_document_save(
        actor=account_manager,
        kind="arrangement",
        period=date(2026, 10, 7),  # any day of the week
        data={"info_focus": "  到期理财客户  ", "product_focus": "手机银行"},
        expected_version=0,
    )
    assert created and doc.week_start == AFTER_HOLIDAY and doc.due_at == at(date(2026, 10, 8))
    assert doc.info_focus == "到期理财客户" and doc.state == "draft" and doc.version == 1
    # a save with nothing changed writes nothing
    doc, changed = plan_document_save(
        actor=account_manager, kind="arrangement", period=AFTER_HOLIDAY, data={"info_focus": "到期理财客户"}
    )
    assert not changed and doc.version == 1
    # a stale version is refused
    with pytest.raises(StaleDocument):
        plan_document_save(
            actor=account_manager,
            kind="arrangement",
            period=AFTER_HOLIDAY,
            data={"other": "x"},
            expected_version=7,
        )
    # When he submits it, it can no longer be changed
    doc = document_transition(actor=account_manager, document=doc, action="submit")
    with pytest.raises(ValidationError):
        plan_document_save(
            actor=account_manager, kind="arrangement", period=AFTER_HOLIDAY, data={"other": "x"}
        )
    # Then his supervisor returns it with a comment; he changes it again
    doc = document_transition(actor=supervisor, document=doc, action="return", comment="请写明拜访客户")
    assert doc.state == "returned" and doc.reviewer == supervisor
    doc, changed = plan_document_save(
        actor=account_manager, kind="arrangement", period=AFTER_HOLIDAY, data={"other": "拜访王总"}
    )
    assert changed and doc.version == 4
    events = list(
        AuditEntry.objects.filter(event__startswith="planning.document")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events == [
        AuditEvent.PLAN_DOCUMENT_SAVED,
        AuditEvent.PLAN_DOCUMENT_SUBMITTED,
        AuditEvent.PLAN_DOCUMENT_RETURNED,
        AuditEvent.PLAN_DOCUMENT_SAVED,
    ]


def test_fields_are_checked(account_manager):
    with pytest.raises(ValidationError) as error:
        plan_document_save(
            actor=account_manager,
            kind="monthly-plan",
            period=date(2026, 10, 1),
            data={"clients_to_visit": 5, "key_clients_to_visit": 8},
        )
    assert "key_clients_to_visit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plan_document_save(
            actor=account_manager, kind="weekly-summary", period=AFTER_HOLIDAY, data={"plan_sound": "maybe"}
        )
    assert "plan_sound" in error.value.message_dict
    with pytest.raises(ValidationError):  # a month still to come is not summarised
        plan_document_save(
            actor=account_manager,
            kind="monthly-summary",
            period=date(2026, 11, 1),
            data={"lessons": "x"},
            today=date(2026, 10, 20),
        )
    assert not MonthlyPlan.objects.exists()


def test_a_supervisor_does_not_review_his_own_or_outside_his_scope(account_manager, other_supervisor):
    doc, _c = plan_document_save(
        actor=account_manager, kind="monthly-summary", period=date(2026, 9, 1), data={}
    )
    doc = document_transition(actor=account_manager, document=doc, action="submit")
    with pytest.raises(PermissionDenied):
        document_transition(actor=other_supervisor, document=doc, action="review")
    with pytest.raises(PermissionDenied):
        document_transition(actor=account_manager, document=doc, action="review")


def test_week_progress_counts_up_to_the_weeks_end(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "20"}, "fund": {"target": "10"}},
    )
    register(
        account_manager,
        {
            ("insurance", date(2026, 10, 8)): "4",
            ("insurance", date(2026, 10, 12)): "5",  # the next week: not counted
            ("fund", date(2026, 10, 9)): "10",
        },
    )
    month, rows = week_progress(owner=account_manager, monday=AFTER_HOLIDAY, today=date(2026, 11, 1))
    assert month == date(2026, 10, 1)
    found = {row.item.code: (row.target, row.achieved, row.status) for row in rows}
    # by 10 October 3 of October's 19 working days are over: 4/20 = 20% ≥ 90% of 3/19 ≈ 14%
    assert found == {
        "insurance": (Decimal("20"), Decimal("4"), "on_track"),
        "fund": (Decimal("10"), Decimal("10"), "done"),
    }


def test_monthly_plan_indicators_mom_and_yoy(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "12"}},
    )
    register(account_manager, {("insurance", date(2026, 9, 10)): "10", ("fund", date(2026, 9, 11)): "3"})
    register(account_manager, {("insurance", date(2026, 3, 10)): "5"})
    register(account_manager, {("insurance", date(2025, 10, 9)): "8"})
    register(account_manager, {("insurance", date(2026, 10, 9)): "1"})
    with CaptureQueriesContext(connection) as captured:
        rows = {
            row.item.code: row
            for row in month_indicators(
                owner=account_manager, month=date(2026, 10, 1), today=date(2026, 10, 20)
            )
        }
    # the figures, the computed indicators and one query per source (logs, visits, archive), the
    # targets, the indicators: whatever their number
    assert len(captured) == 7
    insurance = rows["insurance"]
    assert (insurance.last_month, insurance.cumulative, insurance.last_year, insurance.target) == (
        Decimal("10"),
        Decimal("16"),  # March 5 + September 10 + October 1
        Decimal("8"),
        Decimal("12"),
    )
    assert (insurance.mom, insurance.yoy) == (20.0, 50.0)
    fund = rows["fund"]
    assert fund.target is None and fund.mom is None and fund.yoy is None  # shown "—"
    mobile = rows["mobile-banking"]
    assert mobile.last_month == 0 and mobile.mom is None


def test_completion_and_archive_counts(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=date(2026, 9, 1), lines={"insurance": {"target": "20"}}
    )
    register(account_manager, {("insurance", date(2026, 9, 10)): "15"})
    rows = month_completion(owner=account_manager, month=date(2026, 9, 1))
    assert [(row.item.code, row.rate) for row in rows] == [("insurance", 75.0)]
    make_client(account_manager, "王一", tier="key")
    make_client(account_manager, "王二")
    make_client(account_manager, "王三", lifecycle=Client.Lifecycle.LOST)
    assert archive_counts(account_manager) == (2, 1)


def test_the_weeks_visit_schedule_is_read_in_scope(account_manager, supervisor, other_supervisor):
    client = make_client(account_manager, "李四")
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=AFTER_HOLIDAY
    )
    ScheduleEntry.objects.create(schedule=schedule, client=client, day=date(2026, 10, 8), strategy="介绍定投")
    found, entries = week_visit_schedule(viewer=supervisor, owner=account_manager, monday=AFTER_HOLIDAY)
    assert found == schedule and [entry.client.name for entry in entries] == ["李四"]
    assert week_visit_schedule(viewer=other_supervisor, owner=account_manager, monday=AFTER_HOLIDAY) == (
        None,
        [],
    )


def _board_rows(viewer, **kwargs):
    return {row.person.username: row for row in team_board(viewer=viewer, **kwargs).rows}


def test_board_shows_states_and_overdue(account_manager, team2_manager, supervisor):
    doc, _c = plan_document_save(actor=account_manager, kind="arrangement", period=AFTER_HOLIDAY, data={})
    document_transition(actor=account_manager, document=doc, action="submit")
    write_log(account_manager, date(2026, 10, 8), submit=True, submitted_at=at(date(2026, 10, 8), 18))
    now = at(date(2026, 10, 10), 21)  # after the week's summary was due
    rows = _board_rows(supervisor, day=date(2026, 10, 9), now=now)
    assert set(rows) == {"am", "am_team2"}  # not the supervisor himself
    am, other = rows["am"], rows["am_team2"]
    assert am.cells["arrangement"][0].state == "submitted" and not am.cells["arrangement"][0].overdue
    assert other.cells["arrangement"][0].state == "missing" and other.cells["arrangement"][0].overdue
    assert am.cells["weekly-summary"][0].overdue  # due 10 October 20:00
    # the board's monthly summary is the one due in the period: September's, due 10 October 20:00
    assert am.cells["monthly-summary"][0].period == date(2026, 9, 1)
    assert am.cells["monthly-summary"][0].overdue
    assert (am.logs_handed_in, am.logs_missing) == (1, 2)
    assert am.cells["arrangement"][0].url.endswith(f"?owner={account_manager.pk}")
    # the month: one cell per week that closes in October
    month = _board_rows(supervisor, period="month", day=date(2026, 10, 9), now=now)
    assert [cell.period for cell in month["am"].cells["arrangement"]] == [
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
    ]


def test_board_scope_branch_head_and_account_manager(
    account_manager, team2_manager, other_manager, branch_head
):
    now = at(date(2026, 10, 10), 21)
    assert set(_board_rows(branch_head, day=date(2026, 10, 9), now=now)) == {"am", "am_team2", "am_other"}
    assert set(_board_rows(account_manager, day=date(2026, 10, 9), now=now)) == set()


def test_board_queries_do_not_grow_with_the_team(org, supervisor):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            team_board(viewer=supervisor, day=date(2026, 10, 9), now=at(date(2026, 10, 10), 21))
        return len(captured)

    people = [StaffFactory(org_node=org.tm1) for _ in range(3)]
    for person in people:
        plan_document_save(actor=person, kind="arrangement", period=AFTER_HOLIDAY, data={})
    queries()
    few = queries()
    people += [StaffFactory(org_node=org.tm2) for _ in range(9)]
    for person in people[3:]:
        plan_document_save(actor=person, kind="monthly-plan", period=date(2026, 10, 1), data={})
        write_log(person, date(2026, 10, 8), submit=True, submitted_at=at(date(2026, 10, 8), 18))
    assert len(team_board(viewer=supervisor, day=date(2026, 10, 9)).rows) == 12
    assert queries() == few


def test_desk_counts_overdue_documents(account_manager, team2_manager, supervisor):
    today = timezone.localdate()
    own = planning_desk(account_manager, today=today)
    team = planning_desk(supervisor, today=today)
    # nothing written: this week's arrangement is overdue once its first working day's cut-off is over
    due = arrangement_due_at(today - timedelta(days=today.weekday()))
    expected = 1 if due <= timezone.now() else 0
    assert own["own_overdue"] >= expected
    assert team["team_overdue"] >= 2 * expected and team["plans_waiting"] == 0
    doc, _c = plan_document_save(actor=account_manager, kind="monthly-plan", period=today, data={})
    document_transition(actor=account_manager, document=doc, action="submit")
    assert planning_desk(supervisor, today=today)["plans_waiting"] == 1


def test_arrangement_unique_per_week(account_manager):
    plan_document_save(actor=account_manager, kind="arrangement", period=AFTER_HOLIDAY, data={})
    plan_document_save(
        actor=account_manager, kind="arrangement", period=date(2026, 10, 11), data={"other": "x"}
    )
    assert WeeklyArrangement.objects.count() == 1
