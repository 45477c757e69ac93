"""Copy chinesecalendar's official years into the working-day calendar (ADR 0010).

Reads the library through amdesk.core.calendar.library_days (a pure function of the installed
library); writes with the historical models. After a library upgrade, `amdesk calendar-seed`
adds the new years; until then the library answers for them anyway.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from amdesk.core.calendar import library_days, library_years

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year in sorted(library_years()):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        row = CalendarYear.objects.create(year=year, official=True, source="library", note="chinesecalendar")
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=row, date=day, is_working_day=working, name=name, source="library")
            for day, working, name in library_days(year)
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarYear").objects.filter(source="library").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0010_working_day_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
