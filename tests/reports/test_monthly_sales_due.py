"""Due dates of the monthly client sales analysis report (seed 000 4.4.2: 每月5日前, 节假日顺延): the
settings' day of the next month, moved to the next working day; December's in January of the next
year; provisional for a year the working-day calendar has no official data for. Expectations are
derived from the calendar (chinesecalendar), not typed in, except the cases the calendar fixes."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from amdesk.core import calendar
from amdesk.planning.models import PlanningSettings
from amdesk.planning.services.sales_reports import sales_report_due_at, sales_report_due_dates

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/monthly-sales/due-dates/"


def _expected(year: int, day: int = 5) -> list[dict]:
    rows = []
    for month in range(1, 13):
        nominal = date(year + (month == 12), month % 12 + 1, day)
        known = nominal.year in calendar.library_years()
        due = nominal
        # a year the library covers: its official days; a later one: weekends only (provisional)
        while not (chinese_calendar.is_workday(due) if known else due.weekday() < 5):
            due += timedelta(days=1)
        rows.append({"period": f"{year}-{month:02d}", "due": due.isoformat(), "provisional": not known})
    return rows


def test_due_dates_across_2026_follow_the_calendar(api_for, account_manager, time_machine):
    time_machine.move_to("2026-03-10 10:00 +08:00", tick=False)
    response = api_for(account_manager).get(URL, {"year": 2026})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == _expected(2026)
    assert len(body) == 12
    assert body[0] == {"period": "2026-01", "due": "2026-02-05", "provisional": False}
    # December's report falls due in January of the next year, which has no official data yet
    assert body[11]["period"] == "2026-12" and body[11]["due"].startswith("2027-01-")
    assert [row["provisional"] for row in body] == [False] * 11 + [2027 not in calendar.library_years()]
    # at least one 5th of 2026 is not a working day and moved (e.g. Sunday 5 April, 清明)
    moved = [row for row in body if not row["due"].endswith("-05")]
    assert moved
    for row in moved:
        assert not calendar.is_working_day(date.fromisoformat(row["due"]).replace(day=5))


def test_a_year_without_official_data_is_provisional(api_for, account_manager, time_machine):
    time_machine.move_to("2026-03-10 10:00 +08:00", tick=False)
    assert 2030 not in calendar.library_years()
    body = api_for(account_manager).get(URL, {"year": 2030}).json()
    assert len(body) == 12
    assert all(row["provisional"] for row in body)
    for row in body:  # weekends only: the 5th or the Monday after
        due = date.fromisoformat(row["due"])
        assert due.weekday() < 5 and due.day in (5, 6, 7)


def test_the_last_covered_year_marks_only_its_december_provisional(api_for, account_manager):
    last = max(calendar.library_years())
    body = api_for(account_manager).get(URL, {"year": last}).json()
    assert [row["provisional"] for row in body] == [False] * 11 + [True]


@pytest.mark.parametrize("year", ["", "abc", "99", "3000"])
def test_a_bad_year_is_refused_clearly(api_for, account_manager, year):
    response = api_for(account_manager).get(URL, {"year": year} if year else {})
    assert response.status_code == 400
    assert "year" in response.json()["fields"]


def test_the_due_day_is_a_setting(account_manager):
    settings = PlanningSettings.current()
    settings.sales_report_due_day = 10
    settings.save()
    rows = sales_report_due_dates(2026)
    assert [row.due.isoformat() for row in rows] == [r["due"] for r in _expected(2026, 10)]
    due = sales_report_due_at(date(2026, 1, 1))
    assert due.hour == settings.log_due_time.hour


def test_anonymous_callers_are_refused(client):
    assert client.get(URL, {"year": 2026}).status_code in (401, 403)
