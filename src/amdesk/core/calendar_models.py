"""The admin-maintained working-day calendar (read by `amdesk.core.calendar`, written by
`amdesk.core.calendar_services`).

A year with an official row is answered from this table alone: Monday–Friday work, Saturday and
Sunday off, except the days listed (holidays on weekdays, make-up working days 调休 on weekends).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarSource(models.TextChoices):
    LIBRARY = "library", _("chinesecalendar library")
    ADMIN = "admin", _("entered in the admin")
    IMPORT = "import", _("imported from the official notice")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2199)]
    )
    official = models.BooleanField(
        _("official"),
        default=False,
        help_text=_(
            "Tick once the State Council notice for this year is entered in full: due dates then "
            "follow these days and are no longer provisional."
        ),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("E.g. the notice's number and date.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("working-day calendar")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from "Monday–Friday work, weekend off", or a named holiday on a weekend."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: a make-up working day 调休; not ticked: a day off."),
    )
    name = models.CharField(
        pgettext_lazy("calendar day", "name"), max_length=60, help_text=_("E.g. 国庆节, 国庆节调休.")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self):
        try:
            year = self.calendar_year  # also the admin's unsaved year while it validates the inline days
        except CalendarYear.DoesNotExist:
            return
        if self.date and year.year and self.date.year != year.year:
            raise ValidationError(
                {"date": _("The date must lie in the year %(year)s.") % {"year": year.year}}
            )


class CalendarSettings(models.Model):
    """Numbers of the calendar the business may change; one row, edited in the admin."""

    warn_days_ahead = models.PositiveSmallIntegerField(
        _("days ahead the desk warns about a year without official holidays"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    # Bumped by every calendar service; each process re-reads the table when it changes.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "CalendarSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
