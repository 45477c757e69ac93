"""The working-day calendar: official 2026 holidays, years without data, the admin's table and its cache."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.translation import override

from amdesk.core import calendar
from amdesk.core.audit_events import AuditEvent
from amdesk.core.calendar_models import CalendarDay, CalendarSettings, CalendarSource, CalendarYear
from amdesk.core.calendar_services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_notice_import,
    calendar_seed,
    calendar_year_save,
)
from amdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- 2026 from the official data ----------------------------------------------------------------


def test_a_due_date_on_5_october_2026_moves_to_8_october():
    assert not calendar.is_working_day(date(2026, 10, 5))
    assert calendar.next_working_day(date(2026, 10, 5)) == date(2026, 10, 8)
    assert calendar.answer(date(2026, 10, 5)) == calendar.DayAnswer(
        date=date(2026, 10, 5), is_working_day=False, next_working_day=date(2026, 10, 8), provisional=False
    )


def test_a_working_day_is_its_own_next_working_day():
    assert calendar.next_working_day(date(2026, 10, 8)) == date(2026, 10, 8)


def test_2026_make_up_saturdays_are_working_days():
    # Given the 2026 notice: make-up Saturdays on 10 October (National Day), 14 and 28 February
    for saturday in (date(2026, 10, 10), date(2026, 2, 14), date(2026, 2, 28)):
        assert saturday.weekday() == 5
        assert calendar.is_working_day(saturday)
    # and an ordinary Saturday is still a day off
    assert not calendar.is_working_day(date(2026, 10, 17))


def test_add_working_days_across_national_day():
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 9, 29), 3) == date(2026, 10, 9)
    # the make-up Saturday counts
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)


def test_working_days_between():
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert calendar.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert calendar.working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0


def test_add_working_days_at_keeps_the_clock_time():
    moment = datetime(2026, 9, 30, 15, 30, tzinfo=SHANGHAI)
    due = calendar.add_working_days_at(moment, 2)
    assert due.astimezone(SHANGHAI).replace(tzinfo=None) == datetime(2026, 10, 9, 15, 30)


def test_the_table_answers_as_the_library_for_every_day_it_knows():
    # The data migration copied the library; every day of its years gets the library's answer.
    assert CalendarYear.objects.filter(source=CalendarSource.LIBRARY, official=True).count() == len(
        calendar.library_years()
    )
    day = date(min(calendar.library_years()), 1, 1)
    while day.year <= max(calendar.library_years()):
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)


def test_seeded_days_carry_chinese_names():
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    make_up = CalendarDay.objects.get(date=date(2026, 10, 10))
    assert make_up.is_working_day and make_up.name == "国庆节调休"
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"


def test_without_the_table_the_library_still_answers():
    # Given an emptied table (a flushed test database, or a fresh one before seeding)
    CalendarYear.objects.all().delete()
    calendar.clear_cache()
    assert calendar.answer(date(2026, 10, 5)).next_working_day == date(2026, 10, 8)
    assert not calendar.answer(date(2026, 10, 5)).provisional
    assert calendar.is_working_day(date(2026, 10, 10))


def test_seed_is_idempotent_and_refills_an_empty_table():
    days = CalendarDay.objects.count()
    assert calendar_seed() == {}
    assert CalendarDay.objects.count() == days
    CalendarYear.objects.filter(year=2026).delete()
    assert calendar_seed(years=[2026, 2031]) == {2026: len(calendar.library_days(2026))}
    assert CalendarDay.objects.count() == days


def test_seed_leaves_a_year_the_admin_changed_alone(admin):
    day = CalendarDay.objects.get(date=date(2026, 10, 7))
    calendar_day_delete(actor=admin, day=day)
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.ADMIN
    calendar_seed()
    assert not CalendarDay.objects.filter(date=date(2026, 10, 7)).exists()
    assert calendar.is_working_day(date(2026, 10, 7))


def test_calendar_seed_command(capsys):
    CalendarYear.objects.filter(year=2025).delete()
    call_command("calendar-seed", "2025")
    assert "2025 +" in capsys.readouterr().out
    assert CalendarYear.objects.get(year=2025).official


# --- Years without data -----------------------------------------------------------------------


def test_a_year_without_data_counts_weekends_only_and_is_provisional():
    national_day = calendar.answer(date(2030, 10, 1))  # a Tuesday
    assert national_day.is_working_day and national_day.provisional
    saturday = calendar.answer(date(2030, 10, 5))
    assert saturday == calendar.DayAnswer(
        date=date(2030, 10, 5), is_working_day=False, next_working_day=date(2030, 10, 7), provisional=True
    )
    assert calendar.add_working_days(date(2030, 10, 4), 1) == date(2030, 10, 7)


def test_an_official_year_entered_by_the_admin_overrides(admin):
    # Given the admin enters 2030's notice: 1–7 October off, Sunday 29 September a working day
    year = calendar_year_save(actor=admin, year=CalendarYear(year=2030, official=True, note="国办发明电"))
    for day in range(1, 8):
        calendar_day_save(
            actor=admin, day=CalendarDay(calendar_year=year, date=date(2030, 10, day), name="国庆节")
        )
    calendar_day_save(
        actor=admin,
        day=CalendarDay(calendar_year=year, date=date(2030, 9, 29), name="国庆节调休", is_working_day=True),
    )
    # Then
    answer = calendar.answer(date(2030, 10, 1))
    assert not answer.is_working_day and not answer.provisional
    assert answer.next_working_day == date(2030, 10, 8)
    assert calendar.is_working_day(date(2030, 9, 29))
    assert AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED, actor=admin).count() == 9


def test_days_of_a_year_not_yet_official_apply_but_stay_provisional(admin):
    year = calendar_year_save(actor=admin, year=CalendarYear(year=2030, official=False))
    calendar_day_save(actor=admin, day=CalendarDay(calendar_year=year, date=date(2030, 1, 1), name="元旦"))
    answer = calendar.answer(date(2030, 1, 1))
    assert not answer.is_working_day and answer.provisional


def test_a_day_outside_its_year_is_refused(admin):
    year = calendar_year_save(actor=admin, year=CalendarYear(year=2030, official=True))
    with pytest.raises(ValidationError):
        calendar_day_save(
            actor=admin, day=CalendarDay(calendar_year=year, date=date(2031, 1, 1), name="元旦")
        )


# --- The cache --------------------------------------------------------------------------------


def test_loops_do_not_query_per_day(django_assert_num_queries):
    calendar.add_working_days(date(2026, 1, 1), 1)  # warm
    with django_assert_num_queries(0):
        for offset in range(1000):
            calendar.add_working_days(date(2026, 1, 1), offset % 200)
        calendar.working_days_between(date(2026, 1, 1), date(2026, 12, 31))


def test_editing_a_day_changes_the_next_answer(admin):
    assert not calendar.is_working_day(date(2026, 10, 7))  # cached now
    day = CalendarDay.objects.get(date=date(2026, 10, 7))
    day.is_working_day = True
    day.name = "国庆节调休"
    calendar_day_save(actor=admin, day=day)
    assert calendar.is_working_day(date(2026, 10, 7))
    assert calendar.next_working_day(date(2026, 10, 5)) == date(2026, 10, 7)


def test_another_process_edit_is_seen_once_the_revision_moves(settings):
    settings.AMDESK_CALENDAR_REVALIDATE_SECONDS = 0
    calendar.clear_cache()  # the snapshot loaded before the test checks again only after an hour
    assert not calendar.is_working_day(date(2026, 10, 7))
    # Given another process changed the table (nothing tells this one) without a new revision yet
    CalendarDay.objects.filter(date=date(2026, 10, 7)).update(is_working_day=True)
    assert not calendar.is_working_day(date(2026, 10, 7))
    # When its service bumps the revision
    CalendarSettings.current()
    CalendarSettings.objects.filter(pk=1).update(revision=99)
    # Then this process re-reads the table
    assert calendar.is_working_day(date(2026, 10, 7))


# --- Import of the yearly notice --------------------------------------------------------------

NOTICE_2027 = """日期,名称,类型
2027-01-01,元旦,休
2027-02-06,春节,休
2027-02-07,春节调休,班
2027-02-08，春节，休
"""


def test_notice_import_marks_the_year_official(admin):
    year = calendar_notice_import(actor=admin, year=2027, text=NOTICE_2027, note="国办发明电〔2026〕7号")
    assert year.official and year.source == CalendarSource.IMPORT
    assert {(d.date, d.name, d.is_working_day) for d in year.days.all()} == {
        (date(2027, 1, 1), "元旦", False),
        (date(2027, 2, 6), "春节", False),
        (date(2027, 2, 7), "春节调休", True),
        (date(2027, 2, 8), "春节", False),
    }
    answer = calendar.answer(date(2027, 2, 7))  # a Sunday
    assert answer.is_working_day and not answer.provisional
    assert calendar.next_working_day(date(2027, 2, 8)) == date(2027, 2, 9)
    entry = AuditEntry.objects.get(event=AuditEvent.CALENDAR_CHANGED, actor=admin)
    assert entry.detail["days"] == 4 and entry.detail["working"] == 1


def test_notice_import_with_a_bad_line_saves_nothing(admin):
    text = "2027-01-01,元旦,休\n2027-02-30,春节,休\n2027-02-07,春节调休,放\n2026-12-31,元旦,休\n"
    with override("en"), pytest.raises(ValidationError) as refused:
        calendar_notice_import(actor=admin, year=2027, text=text)
    messages = refused.value.messages
    assert [m.split(":")[0] for m in messages] == ["Line 2", "Line 3", "Line 4"]
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert calendar.answer(date(2027, 1, 1)).provisional


def test_notice_import_replaces_the_year(admin):
    calendar_notice_import(actor=admin, year=2027, text=NOTICE_2027)
    calendar_notice_import(actor=admin, year=2027, text="2027-01-01,元旦,休\n")
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        date(2027, 1, 1)
    ]
    assert calendar.is_working_day(date(2027, 2, 8))


def test_make_up_working_day_on_a_weekday_is_refused(admin):
    with override("en"), pytest.raises(ValidationError, match="Line 1"):
        calendar_notice_import(actor=admin, year=2027, text="2027-02-09,春节调休,班")


# --- Working-day time (the clock of a deadline counted in working days) ----------------------


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def test_working_time_stands_still_over_a_weekend():
    # Friday 2026-11-27 18:00 to Monday 2026-11-30 09:00: six hours of Friday, nine of Monday.
    assert calendar.working_seconds_between(_at("2026-11-27 18:00"), _at("2026-11-30 09:00")) == 15 * 3600


def test_working_time_skips_the_national_day_holiday():
    # 30 September 2026 (working) 20:00 to 8 October 2026 (first working day after) 02:00.
    assert calendar.working_seconds_between(_at("2026-09-30 20:00"), _at("2026-10-08 02:00")) == 6 * 3600


def test_adding_working_time_steps_over_non_working_days():
    # Six hours from Friday 20:00: four hours on Friday, two on Monday.
    assert calendar.add_working_seconds(_at("2026-11-27 20:00"), 6 * 3600) == _at("2026-11-30 02:00")
    assert calendar.add_working_seconds(_at("2026-11-28 10:00"), 0) == _at("2026-11-28 10:00")


def test_adding_the_time_between_gives_back_the_end_on_a_working_day():
    start, end = _at("2026-09-29 15:30"), _at("2026-10-09 11:00")
    assert calendar.add_working_seconds(start, calendar.working_seconds_between(start, end)) == end
