"""Admin: appraisal schemes. The scheme's name, description, population and whether it is in use
are edited here; its versions are read-only (drafts are edited, and activated, on the scheme pages,
where the matrices are checked), and new schemes are made there too (with their first draft)."""

from django.contrib import admin

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import Scheme, SchemeVersion


class SchemeVersionInline(admin.TabularInline):
    model = SchemeVersion
    fields = [
        "number",
        "state",
        "consistency_ratio",
        "note",
        "created_by",
        "created_at",
        "activated_by",
        "activated_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "period_kind", "org_node", "is_active"]
    list_filter = ["period_kind", "is_active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "description", "period_kind", "roles", "org_node", "is_active"]
    readonly_fields = ["code", "period_kind"]
    filter_horizontal = ["roles"]
    inlines = [SchemeVersionInline]

    def has_add_permission(self, request):
        return False  # on the scheme pages, which make the first draft with it

    def has_delete_permission(self, request, obj=None):
        return False  # periods keep the versions they ran with

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event=AuditEvent.SCHEME_CHANGED,
            actor=request.user,
            request=request,
            target=obj,
            detail={"admin": {field: str(form.cleaned_data.get(field)) for field in form.changed_data}},
        )
