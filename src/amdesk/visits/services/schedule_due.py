"""When an account manager's weekly visit schedule 客户访问日程表 is due: by the settings' time on the
settings' working day before the week (the working-day calendar, core.calendar), by default the last
working day of the week before. A schedule still proposed (not submitted) after that is missing."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from amdesk.core import calendar

from ..models import VisitSettings

# A week without any working day in a whole month before it does not exist; the bound only keeps a
# broken calendar from looping.
SEARCH_DAYS = 31


def schedule_due_on(week_start: date, settings: VisitSettings | None = None) -> date:
    """The n-th working day before the week's Monday (n from the settings, at least 1)."""
    settings = settings or VisitSettings.current()
    wanted, day = max(settings.schedule_due_working_days_before, 1), week_start
    for _step in range(SEARCH_DAYS):
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            wanted -= 1
            if not wanted:
                return day
    return week_start - timedelta(days=1)


def schedule_due_at(week_start: date, settings: VisitSettings | None = None) -> datetime:
    settings = settings or VisitSettings.current()
    day = schedule_due_on(week_start, settings)
    return timezone.make_aware(datetime.combine(day, settings.schedule_due_time))
