from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .framework.base import REGISTRY
from .models import ReportDelivery, ReportSchedule


class ReportScheduleForm(forms.ModelForm):
    report_code = forms.ChoiceField(label=_("report"), choices=())

    class Meta:
        model = ReportSchedule
        fields = ["name", "report_code", "period_kind", "format", "day", "at", "enabled", "recipients"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_code"].choices = sorted(
            ((code, str(report.title)) for code, report in REGISTRY.items()), key=lambda c: c[1]
        )


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    form = ReportScheduleForm
    list_display = ["name", "report_code", "period_kind", "format", "day", "at", "enabled", "last_sent_for"]
    list_filter = ["enabled", "format", "period_kind"]
    filter_horizontal = ["recipients"]
    readonly_fields = ["last_sent_for", "last_sent_at"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    """Who got which scheduled report (read only: the sends write it)."""

    list_display = ["schedule", "period", "recipient", "claimed_at", "sent_at"]
    list_filter = ["schedule", "period"]
    list_select_related = ["schedule", "recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
