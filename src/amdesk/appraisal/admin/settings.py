"""Admin: the appraisal settings (one row: sign-off day, percentiles, pass mark, DISC, training),
changes audited."""

from django.contrib import admin

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import AppraisalSettings


@admin.register(AppraisalSettings)
class AppraisalSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sign_off_day", "sign_off_following_month", "pass_score"]

    def has_add_permission(self, request):
        # One row, made on first use (AppraisalSettings.current()).
        return not AppraisalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event=AuditEvent.APPRAISAL_SETTINGS_CHANGED,
            actor=request.user,
            request=request,
            target=obj,
            detail={"changed": sorted(form.changed_data)},
        )
