"""Admin pages for the visit capability's reference data and settings.

Visits, schedules and inspections are worked on the visit pages (scope and sign-off apply
there); here an operator maintains the frequency norms, checklists and numbers the business
may change, and looks over the findings raised on visits.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    FindingOutcome,
    VisitFinding,
    VisitNorm,
    VisitSettings,
)


def _settings_changed(request, what: str, detail: dict) -> None:
    # Norms and settings decide who is due for a visit and when, so every change is on record.
    audit_record(
        event=AuditEvent.VISIT_SETTINGS_CHANGED, actor=request.user, request=request, detail={what: detail}
    )


def _changes(form) -> dict[str, str]:
    return {field: str(form.cleaned_data[field]) for field in form.changed_data}


@admin.register(VisitNorm)
class VisitNormAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "lifecycle", "grade", "vip_level", "interval_days", "is_active", "order"]
    list_editable = ["interval_days", "is_active", "order"]
    list_filter = ["is_active", "tier", "lifecycle"]
    list_select_related = ["tier", "grade", "vip_level"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "norm", {"id": obj.pk, "name": obj.name, **_changes(form)})

    def delete_model(self, request, obj):
        detail = {"id": obj.pk, "name": obj.name, "deleted": True}
        super().delete_model(request, obj)
        _settings_changed(request, "norm", detail)

    def delete_queryset(self, request, queryset):
        names = list(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        _settings_changed(request, "norms_deleted", {"names": names})


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "purpose", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["purpose", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(AnomalyKind)
class AnomalyKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(FindingOutcome)
class FindingOutcomeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "needs_note", "order", "is_active"]
    list_editable = ["needs_note", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    def has_add_permission(self, request):
        return not VisitSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = VisitSettings.current()
        return redirect(reverse("admin:visits_visitsettings_change", args=[settings.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "settings", _changes(form))


@admin.register(VisitFinding)
class VisitFindingAdmin(admin.ModelAdmin):
    """Read only: findings are raised by visit records and closed by the supervisor's service."""

    list_display = ["client", "kind", "owner", "org_node", "raised_at", "outcome", "closed_at"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["client", "owner", "org_node", "outcome"]
    search_fields = ["client__name", "note"]
    date_hierarchy = "raised_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClientLocation)
class ClientLocationAdmin(admin.ModelAdmin):
    list_display = ["client", "area", "latitude", "longitude", "source", "updated_at"]
    list_filter = ["source"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]
    search_fields = ["client__name", "area"]
