"""Admin pages of the planning capability: the performance items (per industry preset) and the
numbers the business may change. Logs and sheets are worked on the planning pages (scope applies)."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import (
    MonthlyPlan,
    MonthlySalesReport,
    MonthlySummary,
    PerformanceItem,
    PlanningSettings,
    WeeklyArrangement,
    WeeklySummary,
    WorkLog,
)


def _settings_changed(request, what: str, detail: dict) -> None:
    # The due time decides which logs count as late and missing (appraisal reads them): on record.
    audit_record(
        event=AuditEvent.PLANNING_SETTINGS_CHANGED, actor=request.user, request=request, detail={what: detail}
    )


def _changes(form) -> dict[str, str]:
    return {field: str(form.cleaned_data[field]) for field in form.changed_data}


@admin.register(PerformanceItem)
class PerformanceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "unit", "source", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "performance_item", {"code": obj.code, **_changes(form)})


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    def has_add_permission(self, request):
        return not PlanningSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = PlanningSettings.current()
        return redirect(reverse("admin:planning_planningsettings_change", args=[settings.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "settings", _changes(form))


@admin.register(WorkLog)
class WorkLogAdmin(admin.ModelAdmin):
    """Read only: logs are written by their account manager and reviewed through the workflow."""

    list_display = ["day", "owner", "org_node", "state", "submitted_at", "reviewer"]
    list_filter = ["state"]
    list_select_related = ["owner", "org_node", "reviewer"]
    search_fields = ["owner__full_name", "owner__employee_no"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyDocumentAdmin(admin.ModelAdmin):
    """Read only: weekly and monthly documents are written by their account manager and reviewed
    through the workflow."""

    list_filter = ["state"]
    list_select_related = ["owner", "org_node", "reviewer"]
    search_fields = ["owner__full_name", "owner__employee_no"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WeeklyArrangement, WeeklySummary)
class WeeklyDocumentAdmin(_ReadOnlyDocumentAdmin):
    list_display = ["week_start", "owner", "org_node", "state", "due_at", "submitted_at", "reviewer"]
    date_hierarchy = "week_start"


@admin.register(MonthlyPlan, MonthlySummary, MonthlySalesReport)
class MonthlyDocumentAdmin(_ReadOnlyDocumentAdmin):
    list_display = ["month", "owner", "org_node", "state", "due_at", "submitted_at", "reviewer"]
    date_hierarchy = "month"
