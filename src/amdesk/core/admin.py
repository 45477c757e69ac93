from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit_events import AuditEvent
from .models import AuditEntry, SiteProfile


class EventFilter(admin.SimpleListFilter):
    """The events of the code registry (the column holds text, not DB choices)."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return AuditEvent.choices

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ["at", "username", "event_label", "result", "ip", "target_repr"]
    list_filter = [EventFilter, "result"]
    search_fields = ["username", "target_repr", "ip"]
    date_hierarchy = "at"
    list_per_page = 100

    @admin.display(description=_("event"), ordering="event")
    def event_label(self, entry):
        return entry.get_event_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "industry"]
    readonly_fields = ["industry"]

    def has_add_permission(self, request):
        return not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


# The working-day calendar's admin pages (years, days, notice import, settings).
from . import calendar_admin  # noqa: E402, F401
