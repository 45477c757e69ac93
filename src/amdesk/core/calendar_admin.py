"""Admin pages of the working-day calendar: years with their days inline, the import of the yearly
State Council notice, and the calendar settings. Every write goes through calendar_services
(audited, and the calendar's cache is refreshed)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calendar_models import CalendarDay, CalendarSettings, CalendarYear
from .calendar_services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_notice_import,
    calendar_settings_save,
    calendar_year_delete,
    calendar_year_save,
    notice_text_decode,
)

MAX_NOTICE_BYTES = 256 * 1024


def _changes(form) -> dict[str, str]:
    return {field: str(form.cleaned_data[field]) for field in form.changed_data}


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "name", "is_working_day", "source"]
    readonly_fields = ["source"]
    extra = 1


class NoticeImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2199)
    text = forms.CharField(
        label=gettext_lazy("Lines of the notice"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 16, "cols": 60, "placeholder": "2027-01-01,元旦,休\n2027-02-07,春节调休,班"}
        ),
        help_text=gettext_lazy(
            "One day per line: date, name, 休 (day off) or 班 (make-up working day). List every day "
            "off of each holiday and every make-up working day."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("or a CSV file"),
        required=False,
        help_text=gettext_lazy("The same three columns, UTF-8 or GBK; a header row is skipped."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("E.g. the notice's number and date."),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_NOTICE_BYTES:
                raise ValidationError(_("The file is too large for a calendar notice."))
            data["text"] = notice_text_decode(upload.read())
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the lines of the notice or choose a CSV file."))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "official", "source", "holidays", "make_up_days", "note", "updated_at"]
    list_filter = ["official", "source"]
    readonly_fields = ["source", "updated_at"]
    fields = ["year", "official", "note", "source", "updated_at"]
    inlines = [CalendarDayInline]
    change_list_template = "admin/core/calendaryear/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                off_count=Count("days", filter=Q(days__is_working_day=False)),
                work_count=Count("days", filter=Q(days__is_working_day=True)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The days belong to the year: renumbering it would leave them outside it.
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    @admin.display(description=gettext_lazy("days off listed"), ordering="off_count")
    def holidays(self, obj):
        return obj.off_count

    @admin.display(description=gettext_lazy("make-up working days"), ordering="work_count")
    def make_up_days(self, obj):
        return obj.work_count

    def save_model(self, request, obj, form, change):
        calendar_year_save(actor=request.user, year=obj, changes=_changes(form), request=request)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for day in formset.deleted_objects:
            calendar_day_delete(actor=request.user, day=day, request=request)
        for day in formset.new_objects:
            calendar_day_save(actor=request.user, day=day, request=request)
        for day, fields in formset.changed_objects:
            changes = {name: str(getattr(day, name)) for name in fields}
            calendar_day_save(actor=request.user, day=day, changes=changes, request=request)

    def delete_model(self, request, obj):
        calendar_year_delete(actor=request.user, year=obj, request=request)

    def delete_queryset(self, request, queryset):
        for year in queryset:
            calendar_year_delete(actor=request.user, year=year, request=request)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="core_calendaryear_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Paste or upload the yearly notice; nothing is saved when a line is wrong."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            form = NoticeImportForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    year = calendar_notice_import(
                        actor=request.user,
                        year=data["year"],
                        text=data["text"],
                        note=data["note"],
                        request=request,
                    )
                except ValidationError as exc:
                    form.add_error("text", exc.messages)
                else:
                    messages.success(
                        request,
                        _("The notice for %(year)s is imported (%(days)s days); the year is official.")
                        % {"year": year.year, "days": year.days.count()},
                    )
                    return redirect(reverse("admin:core_calendaryear_change", args=[year.pk]))
        else:
            form = NoticeImportForm(initial={"year": timezone.localdate().year + 1})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import the official holiday notice"),
            "form": form,
        }
        return TemplateResponse(request, "admin/core/calendaryear/import.html", context)


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    fields = ["warn_days_ahead"]

    def has_add_permission(self, request):
        return not CalendarSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = CalendarSettings.current()
        return redirect(reverse("admin:core_calendarsettings_change", args=[settings.pk]))

    def save_model(self, request, obj, form, change):
        calendar_settings_save(actor=request.user, settings=obj, changes=_changes(form), request=request)
