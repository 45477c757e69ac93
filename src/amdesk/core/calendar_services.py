"""Writes to the working-day calendar. Every change is audited (CALENDAR_CHANGED), bumps the
calendar's revision and clears this process's snapshot (other processes see the new revision
within seconds, see `amdesk.core.calendar`)."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from . import calendar
from .audit import audit_record
from .audit_events import AuditEvent
from .calendar_models import CalendarDay, CalendarSettings, CalendarSource, CalendarYear

# What the third column of a notice line may say.
WORKING_WORDS = {"班", "上班", "调休上班", "work", "working"}
OFF_WORDS = {"休", "休息", "放假", "off", "holiday"}


def _changed(*, actor, request, target, detail: dict) -> None:
    audit_record(
        event=AuditEvent.CALENDAR_CHANGED, actor=actor, request=request, target=target, detail=detail
    )
    CalendarSettings.current()
    CalendarSettings.objects.filter(pk=1).update(revision=F("revision") + 1)
    calendar.clear_cache()
    # Clear again once committed: an answer read inside the transaction must not outlive a rollback.
    transaction.on_commit(calendar.clear_cache)


# --- Seeding from the library ------------------------------------------------------------------


@transaction.atomic
def calendar_seed(*, actor=None, years=None, request=None) -> dict[int, int]:
    """Copy chinesecalendar's holidays and make-up working days into the table for the years it
    knows (or those of `years` it knows). Idempotent; a year the admin entered or imported is left
    alone, and so is a day the admin changed in a seeded year. Returns {year: days added}."""
    known = calendar.library_years()
    wanted = sorted(known if years is None else set(years) & known)
    existing = {row.year: row for row in CalendarYear.objects.filter(year__in=wanted)}
    added: dict[int, int] = {}
    for year in wanted:
        row = existing.get(year)
        if row is not None and row.source != CalendarSource.LIBRARY:
            continue
        if row is None:
            row = CalendarYear.objects.create(
                year=year, official=True, source=CalendarSource.LIBRARY, note="chinesecalendar"
            )
        taken = set(CalendarDay.objects.filter(calendar_year__year=year).values_list("date", flat=True))
        new = [
            CalendarDay(
                calendar_year=row, date=day, is_working_day=working, name=name, source=CalendarSource.LIBRARY
            )
            for day, working, name in calendar.library_days(year)
            if day not in taken
        ]
        CalendarDay.objects.bulk_create(new)
        if new or year not in existing:
            added[year] = len(new)
    if added:
        _changed(
            actor=actor,
            request=request,
            target=None,
            detail={"seeded": {str(y): n for y, n in added.items()}},
        )
    return added


# --- Admin edits -------------------------------------------------------------------------------


def _mark_edited(year_id: int) -> None:
    # A seeded year whose days the admin changed is his: `calendar_seed` leaves it alone from now on.
    CalendarYear.objects.filter(pk=year_id, source=CalendarSource.LIBRARY).update(source=CalendarSource.ADMIN)


@transaction.atomic
def calendar_year_save(
    *, actor, year: CalendarYear, changes: dict | None = None, request=None
) -> CalendarYear:
    created = year.pk is None
    # A year the admin touched is his: `calendar_seed` no longer adds the library's days to it.
    if year.source == CalendarSource.LIBRARY:
        year.source = CalendarSource.ADMIN
    year.full_clean()
    year.save()
    _changed(
        actor=actor,
        request=request,
        target=year,
        detail={"year": year.year, "created": created, "changes": changes or {}},
    )
    return year


@transaction.atomic
def calendar_year_delete(*, actor, year: CalendarYear, request=None) -> None:
    detail = {"year": year.year, "deleted": True, "days": year.days.count()}
    year.delete()
    _changed(actor=actor, request=request, target=None, detail=detail)


@transaction.atomic
def calendar_day_save(*, actor, day: CalendarDay, changes: dict | None = None, request=None) -> CalendarDay:
    created = day.pk is None
    day.source = CalendarSource.ADMIN
    day.full_clean()
    day.save()
    _mark_edited(day.calendar_year_id)
    _changed(
        actor=actor,
        request=request,
        target=day,
        detail={
            "date": day.date.isoformat(),
            "is_working_day": day.is_working_day,
            "name": day.name,
            "created": created,
            "changes": changes or {},
        },
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay, request=None) -> None:
    detail = {"date": day.date.isoformat(), "name": day.name, "deleted": True}
    _mark_edited(day.calendar_year_id)
    day.delete()
    _changed(actor=actor, request=request, target=None, detail=detail)


@transaction.atomic
def calendar_settings_save(
    *, actor, settings: CalendarSettings, changes: dict, request=None
) -> CalendarSettings:
    settings.full_clean()
    settings.save(update_fields=["warn_days_ahead"])
    _changed(actor=actor, request=request, target=settings, detail={"settings": changes})
    return settings


# --- Import of the yearly notice ---------------------------------------------------------------


@dataclass(frozen=True)
class NoticeLine:
    line: int
    date: date
    name: str
    is_working_day: bool


def notice_lines_parse(text: str, *, year: int) -> list[NoticeLine]:
    """Lines `2027-01-01,元旦,休` / `2027-02-07,春节调休,班` (comma, Chinese comma or tab). Blank
    lines, lines starting with # and a header row (日期,名称,类型) are skipped. Raises one
    ValidationError listing every wrong line by its number."""
    errors: list[str] = []
    parsed: list[NoticeLine] = []
    seen: dict[date, int] = {}
    rows = csv.reader(io.StringIO(text.replace("，", ",").replace("\t", ",")))
    for number, cells in enumerate(rows, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lstrip("\ufeff").lower() in {"日期", "date"}:
            continue
        cells[0] = cells[0].lstrip("\ufeff")
        if len(cells) != 3:
            errors.append(
                _("Line %(line)s: expected three columns (date, name, 休 or 班), found %(count)s.")
                % {"line": number, "count": len(cells)}
            )
            continue
        raw_date, name, kind = cells
        try:
            day = date.fromisoformat(raw_date.replace("/", "-"))
        except ValueError:
            errors.append(
                _("Line %(line)s: “%(value)s” is not a date (write it as 2027-01-01).")
                % {"line": number, "value": raw_date}
            )
            continue
        if day.year != year:
            errors.append(
                _("Line %(line)s: %(date)s is not in %(year)s.")
                % {"line": number, "date": day.isoformat(), "year": year}
            )
            continue
        if kind.lower() in WORKING_WORDS:
            working = True
        elif kind.lower() in OFF_WORDS:
            working = False
        else:
            errors.append(
                _("Line %(line)s: the third column must be 休 (day off) or 班 (working), not “%(value)s”.")
                % {"line": number, "value": kind}
            )
            continue
        if not name:
            errors.append(_("Line %(line)s: the name is missing.") % {"line": number})
            continue
        if len(name) > CalendarDay._meta.get_field("name").max_length:
            errors.append(_("Line %(line)s: the name is too long.") % {"line": number})
            continue
        if working and day.weekday() < 5:
            errors.append(
                _("Line %(line)s: %(date)s is a weekday and already a working day; 班 is for weekends only.")
                % {"line": number, "date": day.isoformat()}
            )
            continue
        if day in seen:
            errors.append(
                _("Line %(line)s: %(date)s is already on line %(first)s.")
                % {"line": number, "date": day.isoformat(), "first": seen[day]}
            )
            continue
        seen[day] = number
        parsed.append(NoticeLine(line=number, date=day, name=name, is_working_day=working))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("No days found: paste one line per day, e.g. 2027-01-01,元旦,休."))
    return parsed


def notice_text_decode(data: bytes) -> str:
    """An uploaded CSV in UTF-8 (with or without BOM) or GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GBK text."))


@transaction.atomic
def calendar_notice_import(*, actor, year: int, text: str, note: str = "", request=None) -> CalendarYear:
    """Replace the year's days with the notice's lines and mark the year official. Nothing is
    saved when a line is wrong (the ValidationError names each wrong line)."""
    lines = notice_lines_parse(text, year=year)
    row, _created = CalendarYear.objects.get_or_create(year=year)
    row.official = True
    row.source = CalendarSource.IMPORT
    if note:
        row.note = note
    row.full_clean()
    row.save()
    removed = row.days.count()
    row.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(
            calendar_year=row,
            date=line.date,
            is_working_day=line.is_working_day,
            name=line.name,
            source=CalendarSource.IMPORT,
        )
        for line in lines
    )
    _changed(
        actor=actor,
        request=request,
        target=row,
        detail={
            "imported": year,
            "days": len(lines),
            "off": sum(not line.is_working_day for line in lines),
            "working": sum(line.is_working_day for line in lines),
            "replaced": removed,
        },
    )
    return row
