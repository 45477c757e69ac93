from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import Attachment, AttachmentCategory, AttachmentSettings


@admin.register(AttachmentCategory)
class AttachmentCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "personal_data", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # files point at their category; retire one with "active" instead


@admin.register(AttachmentSettings)
class AttachmentSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    def has_add_permission(self, request):
        return not AttachmentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = AttachmentSettings.current()
        return redirect(reverse("admin:attachments_attachmentsettings_change", args=[row.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event=AuditEvent.ATTACHMENT_SETTINGS_CHANGED,
            actor=request.user,
            request=request,
            target=obj,
            detail={field: str(form.cleaned_data[field]) for field in form.changed_data},
        )


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read only: what is stored and its life. Files are opened (and audited) on the pages, never here."""

    list_display = [
        "original_name",
        "category",
        "target_kind",
        "client",
        "uploaded_by",
        "uploaded_at",
        "deleted_at",
    ]
    list_filter = ["target_kind", "category", ("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["category", "client", "uploaded_by"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [field.name for field in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
