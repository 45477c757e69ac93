"""What supervisors and appraisal read: the team's day, missing logs, submission rates, totals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amdesk.planning.selectors import (
    log_submission_rate,
    log_submission_rates,
    missing_logs,
    month_sheet,
    performance_totals,
    planning_desk,
    team_day,
    working_days,
)
from amdesk.planning.services import document_transition
from tests.orgs.factories import StaffFactory
from tests.planning.factories import last_working_day, register, review, write_log

pytestmark = pytest.mark.django_db


def _days_back(n: int):
    """The last n working days before today, oldest first."""
    days, day = [], timezone.localdate()
    while len(days) < n:
        day = last_working_day(day)
        days.append(day)
    return list(reversed(days))


def test_working_days_follow_the_calendar():
    days = working_days(timezone.datetime(2026, 9, 28).date(), timezone.datetime(2026, 10, 11).date())
    # National Day: 1–7 October off; Saturday 10 October is a make-up working day
    assert [d.isoformat() for d in days] == [
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
    ]


def test_missing_logs_per_account_manager_in_scope(account_manager, team2_manager, other_manager, supervisor):
    days = _days_back(3)
    write_log(account_manager, days[0], submit=True)
    write_log(account_manager, days[1])  # a draft was not handed in
    log = write_log(account_manager, days[2], submit=True)
    review(supervisor, log, accept=False, comment="补充")  # returned still counts as handed in
    rows = {
        row.person.username: row.days for row in missing_logs(viewer=supervisor, start=days[0], end=days[2])
    }
    assert rows == {"am": [days[1]], "am_team2": days}  # other_manager is another supervisor's
    mine = missing_logs(viewer=account_manager, start=days[0], end=days[2])
    assert [(row.person.username, row.days) for row in mine] == [("am", [days[1]])]


def test_days_before_hire_and_todays_log_not_yet_due_are_not_missing(org, supervisor):
    days = _days_back(3)
    newcomer = StaffFactory(username="new", org_node=org.tm1, hire_date=days[2])
    rows = {row.person.pk: row.days for row in missing_logs(viewer=supervisor, start=days[0], end=days[2])}
    assert rows[newcomer.pk] == [days[2]]


def test_submission_rate_counts_handed_in_and_on_time(account_manager, supervisor, team2_manager):
    days = _days_back(4)
    write_log(account_manager, days[0], submit=True)
    log = write_log(account_manager, days[1])
    # handed in after its due time: counts as submitted, not on time
    late = log.due_at + timedelta(hours=2)
    document_transition(actor=account_manager, document=log, action="submit", at=late)
    write_log(account_manager, days[2])  # draft
    rate = log_submission_rate(viewer=supervisor, staff=account_manager, start=days[0], end=days[3])
    assert (rate.working_days, rate.submitted, rate.on_time) == (4, 2, 1)
    assert rate.rate == 50.0 and rate.on_time_rate == 25.0
    rates = log_submission_rates(viewer=supervisor, start=days[0], end=days[3])
    assert set(rates) == {account_manager.pk, team2_manager.pk}
    assert rates[team2_manager.pk].rate == 0.0


def test_submission_rate_of_someone_out_of_scope_is_not_found(account_manager, other_supervisor):
    days = _days_back(2)
    with pytest.raises(Http404):
        log_submission_rate(viewer=other_supervisor, staff=account_manager, start=days[0], end=days[1])


def test_rates_and_missing_logs_take_the_same_queries_for_3_and_30_people(org, supervisor):
    days = _days_back(5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            log_submission_rates(viewer=supervisor, start=days[0], end=days[-1])
            missing_logs(viewer=supervisor, start=days[0], end=days[-1])
        return len(captured)

    people = [StaffFactory(org_node=org.tm1) for _ in range(3)]
    for person in people:
        write_log(person, days[0], submit=True)
    queries()  # the settings row and the viewer's scope are read once
    few = queries()
    people += [StaffFactory(org_node=org.tm2) for _ in range(27)]
    for person in people[3:]:
        write_log(person, days[1], submit=True)
    assert queries() == few


def test_team_day_and_desk(account_manager, team2_manager, supervisor):
    day = last_working_day()
    write_log(account_manager, day, submit=True)
    write_log(team2_manager, day)
    rows = {row.person.username: row.status for row in team_day(viewer=supervisor, day=day)}
    assert rows == {"am": "submitted", "am_team2": "missing"}
    desk = planning_desk(supervisor, today=day)
    assert desk["oversees"] and desk["missing_today"] == 1 and desk["waiting_review"] == 1
    own = planning_desk(account_manager, today=day)
    assert own["own_state"] == "submitted" and not own["oversees"] and own["is_account_manager"]


def test_performance_totals_per_staff_and_item_in_scope(
    account_manager, team2_manager, other_manager, supervisor
):
    days = _days_back(2)
    month_days = [d for d in days if d.month == days[-1].month] or days[-1:]
    register(account_manager, {("insurance", d): "2.5" for d in month_days})
    register(team2_manager, {("credit-card", month_days[-1]): "3"})
    register(other_manager, {("credit-card", month_days[-1]): "9"})
    totals = performance_totals(viewer=supervisor, start=month_days[0].replace(day=1), end=month_days[-1])
    assert set(totals) == {account_manager.pk, team2_manager.pk}
    assert sum(totals[account_manager.pk].values()) == Decimal("2.5") * len(month_days)
    assert list(totals[team2_manager.pk].values()) == [Decimal("3")]


def test_month_sheet_is_a_grid_of_weeks_with_totals(account_manager):
    day = last_working_day()
    register(account_manager, {("insurance", day): "4", ("fund", day): "1.5"})
    sheet = month_sheet(owner=account_manager, month=day, today=timezone.localdate(), editable=True)
    assert sheet.version == 1 and 4 <= len(sheet.weeks) <= 6
    assert all(len(week.days) == 7 for week in sheet.weeks)
    first = sheet.weeks[0].days
    assert first[first.index(day.replace(day=1))].day == 1 and all(
        d is None for d in first[: day.replace(day=1).weekday()]
    )
    week = next(week for week in sheet.weeks if day in week.days)
    row = next(row for row in week.rows if row.item.code == "insurance")
    assert row.total == Decimal("4") and row.cells[day.weekday()].editable
    assert {item.code: total for item, total in sheet.item_totals}["fund"] == Decimal("1.5")
    assert [item.code for item in sheet.items][:3] == ["insurance", "online-banking", "phone-banking"]
