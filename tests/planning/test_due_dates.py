"""Due dates as a person sees and is judged by them: the monthly summary due in the period (last
month's), summaries handed in once their period ends, "not yet due" before the cut-off, provisional
due dates of years without official holiday data, due dates that follow the calendar and settings
until the document is handed in."""

from datetime import date, datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from amdesk.planning.models import PlanningSettings
from amdesk.planning.selectors import plans_desk, team_board, team_day
from amdesk.planning.services import document_transition, plan_document_save
from tests.planning.factories import write_log

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(day: date, hour: int = 20, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _rows(viewer, **kwargs):
    return {row.person.username: row for row in team_board(viewer=viewer, **kwargs).rows}


@pytest.fixture
def web(client_for):
    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    with translation.override("en"):
        yield make


def test_last_months_missing_summary_is_overdue_on_the_board_and_the_desk(account_manager, supervisor):
    # Given 10 November 2026: October's summary was due on November's 3rd working day (4th) and is missing
    today, now = date(2026, 11, 10), at(date(2026, 11, 10), 21)
    for period in ("week", "month"):
        cell = _rows(supervisor, period=period, day=today, now=now)["am"].cells["monthly-summary"][0]
        assert cell.period == date(2026, 10, 1) and cell.overdue and cell.state == "missing"
    own = plans_desk(account_manager, today=today, now=now)["own_overdue"]
    team = plans_desk(supervisor, today=today, now=now)["team_overdue"]
    # When he hands it in, the board and both desk cards count one less
    doc, _c = plan_document_save(
        actor=account_manager, kind="monthly-summary", period=date(2026, 10, 1), data={}
    )
    document_transition(actor=account_manager, document=doc, action="submit", at=now)
    cell = _rows(supervisor, day=today, now=now)["am"].cells["monthly-summary"][0]
    assert cell.state == "submitted" and not cell.overdue
    assert plans_desk(account_manager, today=today, now=now)["own_overdue"] == own - 1
    assert plans_desk(supervisor, today=today, now=now)["team_overdue"] == team - 1


def test_summaries_are_handed_in_from_the_last_working_day_of_their_period(account_manager):
    # October 2026: the last working day is Friday 30
    doc, _c = plan_document_save(
        actor=account_manager, kind="monthly-summary", period=date(2026, 10, 1), data={}
    )
    with pytest.raises(ValidationError):
        document_transition(actor=account_manager, document=doc, action="submit", at=at(date(2026, 10, 29)))
    doc.refresh_from_db()
    assert doc.state == "draft" and doc.figures is None
    doc = document_transition(
        actor=account_manager, document=doc, action="submit", at=at(date(2026, 10, 30), 9)
    )
    assert doc.state == "submitted"
    # the week after National Day: its last working day is the make-up Saturday, 10 October
    week, _c = plan_document_save(
        actor=account_manager, kind="weekly-summary", period=date(2026, 10, 5), data={}
    )
    with pytest.raises(ValidationError):
        document_transition(actor=account_manager, document=week, action="submit", at=at(date(2026, 10, 9)))
    week = document_transition(
        actor=account_manager, document=week, action="submit", at=at(date(2026, 10, 10))
    )
    assert week.state == "submitted"


def test_the_menu_opens_the_oldest_monthly_summary_not_handed_in(web, account_manager):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last = (this_month - timezone.timedelta(days=1)).replace(day=1)
    am = web(account_manager)
    assert am.get("/planning/month/summary/").url.endswith(f"/{last:%Y-%m}/summary/")
    doc, _c = plan_document_save(actor=account_manager, kind="monthly-summary", period=last, data={})
    document_transition(actor=account_manager, document=doc, action="submit")
    assert am.get("/planning/month/summary/").url.endswith(f"/{this_month:%Y-%m}/summary/")


def test_documents_not_yet_due_are_not_missing(account_manager, supervisor):
    # Monday 12 October 2026, 10:00: this week's arrangement is due at 20:00, the log too
    now = at(date(2026, 10, 12), 10)
    cell = _rows(supervisor, day=date(2026, 10, 12), now=now)["am"].cells["arrangement"][0]
    assert cell.state == "not_due" and not cell.overdue
    assert {
        row.person.username: row.status
        for row in team_day(viewer=supervisor, day=date(2026, 10, 12), now=now)
    }["am"] == "not_due"
    later = at(date(2026, 10, 12), 21)
    assert (
        _rows(supervisor, day=date(2026, 10, 12), now=later)["am"].cells["arrangement"][0].state == "missing"
    )
    rows = {
        row.person.username: row for row in team_day(viewer=supervisor, day=date(2026, 10, 12), now=later)
    }
    assert rows["am"].status == "missing"
    write_log(account_manager, date(2026, 10, 12), submit=True, submitted_at=at(date(2026, 10, 12), 18))
    rows = {row.person.username: row for row in team_day(viewer=supervisor, day=date(2026, 10, 12), now=now)}
    assert rows["am"].status == "submitted" and rows["am"].handed_in


def test_the_team_page_says_not_yet_due_before_the_cut_off(web, supervisor, account_manager):
    planning = PlanningSettings.current()
    planning.log_due_time = datetime.max.time().replace(microsecond=0)  # 23:59:59
    planning.save()
    today = timezone.localdate()
    if timezone.localtime().time() >= planning.log_due_time:  # pragma: no cover - the last second
        pytest.skip("at the cut-off")
    page = web(supervisor).get(f"/planning/team/?day={today.isoformat()}").content.decode()
    assert 'data-state="not_due"' in page and "Not yet due" in page
    assert 'data-state="missing"' not in page


def test_provisional_due_dates_are_marked(web, account_manager, supervisor, api_for):
    # 2027 has no official holiday data in the test calendar: its due dates are provisional
    doc, _c = plan_document_save(actor=account_manager, kind="arrangement", period=date(2027, 3, 1), data={})
    old, _c = plan_document_save(actor=account_manager, kind="arrangement", period=date(2026, 10, 5), data={})
    am = web(account_manager)
    assert "(provisional)" in am.get("/planning/week/2027-03-01/arrangement/").content.decode()
    assert "(provisional)" not in am.get("/planning/week/2026-10-05/arrangement/").content.decode()
    assert "(provisional)" in am.get("/planning/log/2027-03-01/").content.decode()
    assert "(provisional)" not in am.get("/planning/log/2026-10-12/").content.decode()
    api = api_for(account_manager)
    assert api.get(f"/api/v1/planning/weekly-arrangements/{doc.pk}/").json()["due_provisional"] is True
    assert api.get(f"/api/v1/planning/weekly-arrangements/{old.pk}/").json()["due_provisional"] is False
    board = api_for(supervisor).get("/api/v1/planning/board/?date=2027-03-01").json()
    cells = [cell for row in board["rows"] for cell in row["cells"]]
    assert cells and all(cell["due_provisional"] for cell in cells if cell["period"].startswith("2027"))


def test_due_dates_follow_the_settings_until_handed_in(web, account_manager, supervisor):
    # Given a draft arrangement of the week after National Day, due on its first working day (8 October)
    doc, _c = plan_document_save(actor=account_manager, kind="arrangement", period=date(2026, 10, 5), data={})
    assert doc.due_at == at(date(2026, 10, 8))
    # When the supervisor's office gives one working day more
    planning = PlanningSettings.current()
    planning.arrangement_due_offset = 1
    planning.save()
    # Then the board and the page show the new due date and it is not overdue on the evening of the 8th
    cell = _rows(supervisor, day=date(2026, 10, 8), now=at(date(2026, 10, 8), 21))["am"].cells["arrangement"][
        0
    ]
    assert cell.due_at == at(date(2026, 10, 9)) and not cell.overdue
    assert (
        "2026-10-09 20:00"
        in web(account_manager).get("/planning/week/2026-10-05/arrangement/").content.decode()
    )
    # and handing it in on the 9th is on time
    doc = document_transition(
        actor=account_manager, document=doc, action="submit", at=at(date(2026, 10, 9), 19)
    )
    assert doc.due_at == at(date(2026, 10, 9)) and not doc.submitted_late
