"""A period's days: where a month, quarter or year starts and ends, and when team sheets are due."""

import calendar as month_calendar
from datetime import date

from amdesk.core.calendar import next_working_day

from ..models import AppraisalSettings, PeriodKind


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or year that contains `day`."""
    if kind == PeriodKind.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = (day.month - 1) // 3 * 3 + 1 if kind == PeriodKind.QUARTER else day.month
    last_month = first_month + (2 if kind == PeriodKind.QUARTER else 0)
    last_day = month_calendar.monthrange(day.year, last_month)[1]
    return date(day.year, first_month, 1), date(day.year, last_month, last_day)


def sign_off_due(end: date, settings: AppraisalSettings | None = None) -> date:
    """003: 每月30日前上交下属人员绩效考核表. The settings' day of the month after the period (or of its
    last month), the month's last day when the month is shorter, postponed to the next working day."""
    settings = settings or AppraisalSettings.current()
    year, month = end.year, end.month
    if settings.sign_off_following_month:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(settings.sign_off_day, month_calendar.monthrange(year, month)[1])
    return next_working_day(date(year, month, day))
