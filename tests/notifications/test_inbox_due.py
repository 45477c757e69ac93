"""The account manager's documents in the inbox: those due and not started at all (no record yet) and
his drafts due, each by the due moment the planning pages show (the calendar's current one), not the
one stored on the draft when it was made."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from amdesk.notifications.inbox import inbox_counts, inbox_sections
from amdesk.notifications.inbox.planning import not_started
from amdesk.notifications.models import NotificationSettings
from amdesk.planning.models import MonthlySalesReport, PlanningSettings, WeeklyArrangement, WorkLog
from amdesk.planning.services.documents import current_due_at, due_at
from amdesk.planning.services.sales_reports import sales_report_due_at
from amdesk.planning.workflow import DocState
from amdesk.visits.services.schedule_due import schedule_due_at
from tests.planning.factories import write_log

TODAY = date(2026, 3, 10)  # tests/notifications/conftest.py: Tuesday 10:00
FEBRUARY = date(2026, 2, 1)


def _until(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today + timedelta(days=2), datetime.min.time()))


def _rows(viewer) -> dict[tuple[str, date], datetime]:
    return {
        (row.code, row.period): row.due_at
        for row in not_started(viewer, now=timezone.now(), until=_until(TODAY))
    }


def test_last_months_sales_report_and_todays_log_not_started_are_due(frozen, account_manager):
    # Given an account manager who has written nothing at all
    rows = _rows(account_manager)
    settings = PlanningSettings.current()

    # Then last month's sales analysis report (due on the 5th, 节假日顺延) is due and overdue…
    assert rows[("sales-report", FEBRUARY)] == sales_report_due_at(FEBRUARY, settings)
    assert rows[("sales-report", FEBRUARY)] < timezone.now()
    # …today's work log is due tonight, and the logs of the look-back window are missing too
    assert rows[("log", TODAY)] == due_at(TODAY, settings.log_due_time)
    window = timezone.now() - timedelta(days=NotificationSettings.current().lookback_days)
    logs = sorted(day for code, day in rows if code == "log")
    assert logs == [day for day in logs if due_at(day, settings.log_due_time) >= window]
    assert date(2026, 3, 9) in logs and date(2026, 2, 27) not in logs
    # …and next week's visit schedule only once it is due before the horizon
    for (code, period), due in rows.items():
        assert due < _until(TODAY), (code, period)
        if code == "visit-schedule":
            assert due == schedule_due_at(period)

    # The inbox shows them, overdue ones flagged, linking to where each is written
    section = next(
        s
        for s in inbox_sections(account_manager, today=TODAY, limit=50)
        if s.code == "my_documents_not_started"
    )
    assert section.count == len(rows)
    report = next(item for item in section.items if item.url.endswith("/month/2026-02/sales-report/"))
    assert report.overdue
    log = next(item for item in section.items if item.url.endswith(f"/log/{TODAY.isoformat()}/"))
    assert not log.overdue


def test_a_started_document_leaves_not_started_and_shows_among_the_drafts_due(frozen, account_manager):
    before = inbox_counts(account_manager, today=TODAY)
    # When he starts today's log (a draft)
    write_log(account_manager, day=TODAY)
    after = inbox_counts(account_manager, today=TODAY)
    assert ("log", TODAY) not in _rows(account_manager)
    assert after["my_documents_not_started"] == before["my_documents_not_started"] - 1
    assert after.get("my_documents_due", 0) == before.get("my_documents_due", 0) + 1
    # a handed-in one is neither
    write_log(account_manager, day=date(2026, 3, 9), submit=True)
    assert ("log", date(2026, 3, 9)) not in _rows(account_manager)


def test_nothing_is_asked_before_the_hire_date_nor_of_someone_who_is_no_account_manager(
    frozen, account_manager, supervisor
):
    type(account_manager).objects.filter(pk=account_manager.pk).update(hire_date=date(2026, 3, 9))
    rows = _rows(account_manager)
    assert ("sales-report", FEBRUARY) not in rows
    assert min(timezone.localdate(due) for due in rows.values()) >= date(2026, 3, 9)
    assert _rows(supervisor) == {}
    assert "my_documents_not_started" not in inbox_counts(supervisor, today=TODAY)


def test_drafts_due_by_the_calendars_current_due_moment(frozen, account_manager):
    # Given three drafts whose stored due moments no longer match the calendar (as after holidays
    # were published or moved: a week or so either way), and one long overdue
    today_log = write_log(account_manager, day=TODAY)
    next_week = WeeklyArrangement.objects.create(
        owner=account_manager,
        org_node=account_manager.org_node,
        week_start=date(2026, 3, 16),
        due_at=timezone.now() - timedelta(days=1),  # really due next Monday
    )
    old = write_log(account_manager, day=date(2026, 1, 20))
    WorkLog.objects.filter(pk=today_log.pk).update(due_at=timezone.now() + timedelta(days=9))  # due tonight
    # Then the inbox judges them by the calendar's due moment, as the planning pages do
    section = next(
        s for s in inbox_sections(account_manager, today=TODAY, limit=10) if s.code == "my_documents_due"
    )
    shown = {item.url: item for item in section.items}
    assert section.count == 2
    assert set(shown) == {today_log.get_absolute_url(), old.get_absolute_url()}
    assert next_week.get_absolute_url() not in shown
    assert shown[today_log.get_absolute_url()].due == current_due_at(today_log)
    assert not shown[today_log.get_absolute_url()].overdue
    assert shown[old.get_absolute_url()].overdue
    assert inbox_counts(account_manager, today=TODAY)["my_documents_due"] == 2


def test_the_sales_report_draft_counts_by_its_due_moment(frozen, account_manager):
    # last month's report, its stored due moment a week late: due on the 5th as the calendar says
    MonthlySalesReport.objects.create(
        owner=account_manager,
        org_node=account_manager.org_node,
        month=FEBRUARY,
        due_at=timezone.now() + timedelta(days=7),
        state=DocState.DRAFT,
    )
    section = next(
        s for s in inbox_sections(account_manager, today=TODAY, limit=10) if s.code == "my_documents_due"
    )
    assert section.count == 1
    assert section.items[0].due == sales_report_due_at(FEBRUARY) and section.items[0].overdue
    assert ("sales-report", FEBRUARY) not in _rows(account_manager)


@pytest.mark.parametrize("lookback", [1, 20])
def test_the_look_back_window_bounds_the_logs_but_keeps_the_latest_of_each_kind(
    frozen, account_manager, lookback
):
    NotificationSettings.objects.update_or_create(pk=1, defaults={"lookback_days": lookback})
    rows = _rows(account_manager)
    window = timezone.now() - timedelta(days=lookback)
    settings = PlanningSettings.current()
    for (code, period), due in rows.items():
        if code == "log":
            assert due == due_at(period, settings.log_due_time) >= window
    # the latest sales report stays whatever the window
    assert ("sales-report", FEBRUARY) in rows
