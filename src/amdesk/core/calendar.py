"""The working-day calendar: official Chinese working days (public holidays and make-up working
days 调休) for every due date in the system.

Interface used by other apps (keep these signatures):
- is_working_day(day) -> bool
- next_working_day(day) -> date           (the day itself when it is a working day)
- add_working_days(day, n) -> date        (the n-th working day after `day`; n=0 → next_working_day)
- working_days_between(start, end) -> int (working days d with start < d <= end)
- add_working_days_at(moment, n) -> datetime  (same local clock time on the n-th working day after)
- answer(day) -> DayAnswer                (with `provisional` when the year has no official data)

Where an answer comes from, per year (ADR 0010):
1. a year the admin marked official in the table (CalendarYear.official): Monday–Friday work,
   weekends off, except the table's days;
2. otherwise the `chinesecalendar` library when it knows the year (2004–2026 at 1.11.0), with the
   table's days (if any) on top;
3. otherwise weekends only (plus the table's days, if any), and the answer is provisional.

Due-date code calls these functions in loops, so the table is read once per process into a
snapshot (three queries) and each year's rule is computed once. Calendar services bump
CalendarSettings.revision and clear the snapshot; other processes notice the new revision within
REVALIDATE_SECONDS (one tiny query at most that often).
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone

# chinesecalendar's English holiday names → the names the State Council notice uses.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
MAKE_UP_SUFFIX = "调休"

REVALIDATE_SECONDS_DEFAULT = 30


@dataclass(frozen=True)
class DayAnswer:
    date: date
    is_working_day: bool
    next_working_day: date
    provisional: bool


@dataclass(frozen=True)
class YearRule:
    off: frozenset[date]  # weekdays that are days off
    work: frozenset[date]  # weekend days that are working days
    provisional: bool
    official_in_table: bool


@dataclass
class _Snapshot:
    revision: int | None = None
    checked_at: float = 0.0
    interval: float = 0.0
    loaded: bool = False
    table_years: dict[int, bool] = field(default_factory=dict)  # year → official
    table_days: dict[int, dict[date, bool]] = field(default_factory=dict)  # year → {date: is_working_day}
    rules: dict[int, YearRule] = field(default_factory=dict)


_snapshot = _Snapshot()
_lock = threading.Lock()


# --- The library -----------------------------------------------------------------------------


def library_years() -> frozenset[int]:
    """The years chinesecalendar has the official notice for."""
    return _LIBRARY_YEARS


_LIBRARY_YEARS = frozenset(day.year for day in chinese_calendar.holidays) | frozenset(
    day.year for day in chinese_calendar.workdays
)


def library_days(year: int) -> list[tuple[date, bool, str]]:
    """(date, is_working_day, Chinese name) of the library's holidays and make-up working days in
    `year`: the holidays as listed (weekends inside a holiday included, they carry its name) and
    the weekend days that are working days."""
    days = []
    for day, name in chinese_calendar.holidays.items():
        if day.year == year:
            days.append((day, False, HOLIDAY_NAMES_ZH.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            days.append((day, True, HOLIDAY_NAMES_ZH.get(name, name) + MAKE_UP_SUFFIX))
    return sorted(days)


def _library_rule(year: int) -> tuple[set[date], set[date]]:
    off = {day for day in chinese_calendar.holidays if day.year == year and day.weekday() < 5}
    work = {day for day in chinese_calendar.workdays if day.year == year and day.weekday() >= 5}
    return off, work


# --- The snapshot ----------------------------------------------------------------------------


def clear_cache() -> None:
    """Forget the snapshot; the next answer re-reads the table. Called by the calendar services."""
    global _snapshot
    _snapshot = _Snapshot()


def _current_revision() -> int:
    from .calendar_models import CalendarSettings

    return CalendarSettings.objects.filter(pk=1).values_list("revision", flat=True).first() or 0


def _load(snapshot: _Snapshot) -> None:
    from .calendar_models import CalendarDay, CalendarYear

    snapshot.table_years = dict(CalendarYear.objects.values_list("year", "official"))
    days: dict[int, dict[date, bool]] = {}
    for day, working in CalendarDay.objects.values_list("date", "is_working_day"):
        days.setdefault(day.year, {})[day] = working
    snapshot.table_days = days
    snapshot.loaded = True


def _fresh() -> _Snapshot:
    global _snapshot
    snapshot = _snapshot
    now = time.monotonic()
    if snapshot.loaded and now - snapshot.checked_at < snapshot.interval:
        return snapshot
    with _lock:
        revision = _current_revision()
        if not snapshot.loaded or revision != snapshot.revision:
            snapshot = _Snapshot(revision=revision)
            _load(snapshot)
        snapshot.checked_at = now
        snapshot.interval = getattr(
            settings, "AMDESK_CALENDAR_REVALIDATE_SECONDS", REVALIDATE_SECONDS_DEFAULT
        )
        _snapshot = snapshot
    return snapshot


def year_rule(year: int) -> YearRule:
    snapshot = _fresh()
    rule = snapshot.rules.get(year)
    if rule is not None:
        return rule
    official = snapshot.table_years.get(year, False)
    known = year in _LIBRARY_YEARS
    off, work = (set(), set()) if official or not known else _library_rule(year)
    for day, working in snapshot.table_days.get(year, {}).items():
        weekend = day.weekday() >= 5
        off.discard(day)
        work.discard(day)
        if working and weekend:
            work.add(day)
        elif not working and not weekend:
            off.add(day)
    rule = YearRule(
        off=frozenset(off),
        work=frozenset(work),
        provisional=not official and not known,
        official_in_table=official,
    )
    snapshot.rules[year] = rule
    return rule


# --- The interface ---------------------------------------------------------------------------


def is_provisional(day: date) -> bool:
    return year_rule(day.year).provisional


def is_working_day(day: date) -> bool:
    rule = year_rule(day.year)
    if day in rule.off:
        return False
    if day in rule.work:
        return True
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, n: int) -> date:
    if n <= 0:
        return next_working_day(day)
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_days_at(moment: datetime, n: int) -> datetime:
    local = timezone.localtime(moment)
    target = add_working_days(local.date(), n)
    return local + timedelta(days=(target - local.date()).days)


def _local_midnight(day: date, tz) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)


def working_seconds_between(start: datetime, end: datetime) -> int:
    """The part of start … end that fell on working days, in seconds: the clock of a deadline
    counted in working days runs through a working day and stands still over weekends and holidays.
    0 when end is not after start."""
    if end <= start:
        return 0
    start, end = timezone.localtime(start), timezone.localtime(end)
    tz = start.tzinfo
    total = 0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            day_start = max(start, _local_midnight(day, tz))
            day_end = min(end, _local_midnight(day + timedelta(days=1), tz))
            total += max(0, int((day_end - day_start).total_seconds()))
        day += timedelta(days=1)
    return total


def add_working_seconds(moment: datetime, seconds: int) -> datetime:
    """`moment` moved on by `seconds` of working-day time (the inverse of working_seconds_between):
    non-working days are stepped over whole."""
    local = timezone.localtime(moment)
    tz = local.tzinfo
    remaining = max(0, int(seconds))
    while remaining > 0:
        day = local.date()
        next_midnight = _local_midnight(day + timedelta(days=1), tz)
        if not is_working_day(day):
            local = next_midnight
            continue
        left_today = int((next_midnight - local).total_seconds())
        if remaining < left_today:
            return local + timedelta(seconds=remaining)
        remaining -= left_today
        local = next_midnight
    return local


def answer(day: date) -> DayAnswer:
    return DayAnswer(
        date=day,
        is_working_day=is_working_day(day),
        next_working_day=next_working_day(day),
        provisional=is_provisional(day),
    )


def provisional_years(start: date, days_ahead: int) -> list[int]:
    """The years touched by start … start + days_ahead whose answers are provisional."""
    years = range(start.year, (start + timedelta(days=days_ahead)).year + 1)
    return [year for year in years if year_rule(year).provisional]


def calendar_warning_for(user, *, today: date) -> list[int]:
    """For the desk of whoever may enter the calendar: the years within the warning horizon
    (CalendarSettings.warn_days_ahead from today) that have no official holidays yet."""
    if not user.has_perm("core.change_calendaryear"):
        return []
    from .calendar_models import CalendarSettings

    days_ahead = CalendarSettings.objects.filter(pk=1).values_list("warn_days_ahead", flat=True).first()
    if days_ahead is None:
        days_ahead = CalendarSettings._meta.get_field("warn_days_ahead").default
    return provisional_years(today, days_ahead)
