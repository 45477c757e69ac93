from django.contrib import admin

from .models import AuditEntry, SiteProfile


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ["at", "username", "event", "result", "ip", "target_repr"]
    list_filter = ["event", "result"]
    search_fields = ["username", "target_repr", "ip"]
    date_hierarchy = "at"
    list_per_page = 100

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
