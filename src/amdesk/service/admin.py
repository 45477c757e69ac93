"""Admin pages for the service capability: SLA rows and settings (every change audited), and a
read-only look at tickets and alerts (tickets are worked on the service pages, where scope and the
workflow apply)."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import ServiceAlert, ServiceSettings, SlaPolicy, Ticket, TicketEvent


def _settings_changed(request, what: str, detail: dict) -> None:
    # The SLA and the targets decide deadlines, escalations and appraisal figures: on record.
    audit_record(
        event=AuditEvent.SERVICE_SETTINGS_CHANGED, actor=request.user, request=request, detail={what: detail}
    )


def _changes(form) -> dict[str, str]:
    return {field: str(form.cleaned_data[field]) for field in form.changed_data}


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "ticket_type",
        "priority",
        "first_feedback_hours",
        "resolution_working_days",
        "warn_before_percent",
        "warn_before_minutes",
        "is_active",
    ]
    list_filter = ["is_active", "ticket_type", "priority"]
    # Shown above the list: how the rows combine (models.SlaPolicy.for_ticket).
    description = _(
        "The most specific active row applies: the type and priority row; else the type's row and the "
        "priority's row, the stricter of the two; else the default row (any type, any priority)."
    )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "subtitle": self.description}
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "sla_policy", {"id": obj.pk, "policy": str(obj), **_changes(form)})

    def delete_model(self, request, obj):
        detail = {"id": obj.pk, "policy": str(obj), "deleted": True}
        super().delete_model(request, obj)
        _settings_changed(request, "sla_policy", detail)

    def delete_queryset(self, request, queryset):
        names = [str(policy) for policy in queryset]
        super().delete_queryset(request, queryset)
        _settings_changed(request, "sla_policies_deleted", {"policies": names})


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    def has_add_permission(self, request):
        return not ServiceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = ServiceSettings.current()
        return redirect(reverse("admin:service_servicesettings_change", args=[settings.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _settings_changed(request, "settings", _changes(form))


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change through the workflow on the service pages, never here."""

    list_display = [
        "number",
        "client",
        "owner",
        "ticket_type",
        "priority",
        "state",
        "received_at",
        "first_feedback_due",
        "resolution_due",
        "satisfaction",
    ]
    list_filter = ["state", "ticket_type", "priority", "channel", "is_valid"]
    list_select_related = ["client", "owner"]
    search_fields = ["number", "subject", "client__name"]
    date_hierarchy = "received_at"
    exclude = ["form_signature", "receipt_signature"]
    inlines = [TicketEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Ticket._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceAlert)
class ServiceAlertAdmin(admin.ModelAdmin):
    list_display = ["ticket", "recipient", "alert_kind", "deadline", "due_at", "created_at", "read_at"]
    list_filter = ["alert_kind", "deadline"]
    list_select_related = ["ticket", "recipient"]
    readonly_fields = ["ticket", "recipient", "alert_kind", "deadline", "due_at", "created_at"]

    def has_add_permission(self, request):
        return False
