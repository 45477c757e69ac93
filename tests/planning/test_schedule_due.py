"""The weekly visit schedule 客户访问日程表 is due before its week (issue 14): by the settings' time on
the last working day of the week before (the working-day calendar), shown on the team board as not
yet due / missing / handed in like the planning documents, and on the account manager's desk when due
soon."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from amdesk.planning.selectors import plans_desk, team_board
from amdesk.visits.models import VisitSchedule, VisitSettings
from amdesk.visits.services import schedule_propose, schedule_submit
from amdesk.visits.services.schedule_due import schedule_due_at

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
MONDAY = date(2026, 3, 9)  # an ordinary week: due on Friday 6 March
FRIDAY = date(2026, 3, 6)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def cell_of(viewer, person, *, day=MONDAY, now, period="week"):
    rows = {row.person.pk: row for row in team_board(viewer=viewer, period=period, day=day, now=now).rows}
    return rows[person.pk].cells["visit-schedule"]


def test_due_on_the_last_working_day_before_the_week(preset):
    assert schedule_due_at(MONDAY) == at(FRIDAY, 18)
    # after the National Day holidays the week before ends with the make-up Saturday, 10 October
    assert schedule_due_at(date(2026, 10, 12)) == at(date(2026, 10, 10), 18)
    # the holiday week itself: due on the last working day before the holidays
    assert schedule_due_at(date(2026, 10, 5)) == at(date(2026, 9, 30), 18)


def test_the_due_day_and_time_are_settings(preset):
    settings = VisitSettings.current()
    settings.schedule_due_working_days_before, settings.schedule_due_time = 2, time(12, 0)
    settings.save()

    assert schedule_due_at(MONDAY) == at(date(2026, 3, 5), 12)


def test_the_board_shows_the_schedule_not_due_missing_and_handed_in(account_manager, supervisor):
    # Before Friday 18:00 next week's schedule is not yet due
    [cell] = cell_of(supervisor, account_manager, now=at(FRIDAY, 17, 59))
    assert (cell.period, cell.state, cell.overdue) == (MONDAY, "not_due", False)
    assert cell.due_at == at(FRIDAY, 18)
    # After it, with none proposed, it is missing
    [cell] = cell_of(supervisor, account_manager, now=at(FRIDAY, 18, 1))
    assert (cell.state, cell.overdue) == ("missing", True)
    # Proposed by the system but not submitted is still missing
    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=FRIDAY).schedule
    [cell] = cell_of(supervisor, account_manager, now=at(FRIDAY, 18, 1))
    assert (cell.state, cell.overdue, cell.document.pk) == ("missing", True, schedule.pk)
    assert cell.url == f"/visits/schedules/{schedule.pk}/"
    # Submitted, it shows as such, late or not
    schedule_submit(actor=account_manager, schedule=schedule)
    [cell] = cell_of(supervisor, account_manager, now=at(FRIDAY, 18, 1))
    assert (cell.state, cell.overdue) == ("submitted", False)
    # and the month view has one cell per week of the month
    cells = cell_of(supervisor, account_manager, now=at(FRIDAY, 18, 1), period="month")
    assert MONDAY in [cell.period for cell in cells] and len(cells) >= 4


def test_a_missing_schedule_counts_on_both_desks(account_manager, supervisor):
    before = at(FRIDAY, 17)
    own = plans_desk(account_manager, today=FRIDAY, now=before)
    # On Friday before the cut-off, next week's schedule is due soon on the AM's desk
    [item] = [item for item in own["due_soon"] if item.kind == "visit-schedule"]
    assert (item.period, item.due_at, item.url) == (
        MONDAY,
        at(FRIDAY, 18),
        "/visits/schedules/week/2026-03-09/",
    )
    # Past the cut-off it is overdue for him and for his supervisor: this week's board counts it
    later = at(MONDAY, 9)
    own_overdue = plans_desk(account_manager, today=MONDAY, now=later)["own_overdue"]
    team_overdue = plans_desk(supervisor, today=MONDAY, now=later)["team_overdue"]
    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=FRIDAY).schedule
    schedule_submit(actor=account_manager, schedule=schedule)
    assert plans_desk(account_manager, today=MONDAY, now=later)["own_overdue"] == own_overdue - 1
    assert plans_desk(supervisor, today=MONDAY, now=later)["team_overdue"] == team_overdue - 1
    assert VisitSchedule.objects.get(pk=schedule.pk).state == "submitted"


def test_the_board_page_and_api_show_the_column(
    account_manager, supervisor, client_for, api_for, time_machine
):
    time_machine.move_to(at(MONDAY, 9), tick=False)
    html = client_for(supervisor).get("/planning/board/").content.decode()
    assert f'data-testid="board-visit-schedule-{account_manager.username}"' in html
    assert "客户访问日程表" in html
    body = api_for(supervisor).get("/api/v1/planning/board/").json()
    [row] = [row for row in body["rows"] if row["staff"]["id"] == account_manager.pk]
    [cell] = [cell for cell in row["cells"] if cell["kind"] == "visit-schedule"]
    assert (cell["period"], cell["state"], cell["overdue"]) == ("2026-03-09", "missing", True)


def test_the_schedule_page_says_when_it_is_due(account_manager, client_for, time_machine):
    time_machine.move_to(at(FRIDAY, 18, 30), tick=False)
    schedule = schedule_propose(owner=account_manager, week_start=MONDAY, today=FRIDAY).schedule
    page = client_for(account_manager)

    html = page.get(f"/visits/schedules/{schedule.pk}/").content.decode()
    assert "截止 2026-03-06 18:00" in html and "逾期" in html
    schedule_submit(actor=account_manager, schedule=schedule)
    assert "逾期提交" in page.get(f"/visits/schedules/{schedule.pk}/").content.decode()
