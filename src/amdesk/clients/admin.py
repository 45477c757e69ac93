"""Admin pages for the client archive's reference data and settings.

Clients themselves are edited on the client pages (scope, masking and history apply there);
here an operator maintains the lists and numbers the business may change, and every change
that affects stored figures (completeness, the big-account flag) recomputes them at once.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .completeness import completeness_refresh
from .models import (
    ArchiveRequirement,
    Client,
    ClientGrade,
    ClientSettings,
    ClientTier,
    CreditRatingClass,
    CreditRatingItem,
    Product,
    ProductLine,
    Tag,
    VipLevel,
)
from .services import stakeholder_refresh


@admin.register(ProductLine, VipLevel, CreditRatingItem)
class PresetItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name", "name_en"]

    def get_list_display(self, request):
        if self.model is CreditRatingItem:
            return ["code", "name", "name_en", "max_score", "order", "is_active"]
        return super().get_list_display(request)


@admin.register(ClientTier)
class ClientTierAdmin(admin.ModelAdmin):
    """The industry's client tiers (a preset seeds them): names, order, colour, which count as key."""

    list_display = ["code", "name", "name_en", "is_key", "colour", "order", "is_active"]
    list_editable = ["name", "is_key", "colour", "order", "is_active"]
    search_fields = ["code", "name", "name_en", "aliases"]


@admin.register(ClientGrade)
class ClientGradeAdmin(admin.ModelAdmin):
    """The industry's client grades: names, order, colour and the rank rules compare."""

    list_display = ["code", "name", "name_en", "rank", "colour", "order", "is_active"]
    list_editable = ["name", "rank", "colour", "order", "is_active"]
    search_fields = ["code", "name", "name_en", "aliases"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "line", "margin_percent", "counts_to_aum", "order", "is_active"]
    list_editable = ["margin_percent", "counts_to_aum", "order", "is_active"]
    list_filter = ["line", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(CreditRatingClass)
class CreditRatingClassAdmin(admin.ModelAdmin):
    list_display = ["code", "min_score", "description"]
    list_editable = ["min_score", "description"]


def _settings_changed(request, what: str, detail: dict) -> None:
    audit_record(
        event=AuditEvent.CLIENT_SETTINGS_CHANGED, actor=request.user, request=request, detail={what: detail}
    )


@admin.register(ArchiveRequirement)
class ArchiveRequirementAdmin(admin.ModelAdmin):
    list_display = ["field", "applies_to", "order", "is_active"]
    list_editable = ["applies_to", "order", "is_active"]
    list_filter = ["applies_to", "is_active"]

    def _recompute(self, request):
        updated = completeness_refresh(Client.objects.all())
        _settings_changed(request, "archive_requirements", {"clients_recomputed": updated})
        self.message_user(
            request,
            ngettext(
                "Archive completeness recomputed for %(count)d client.",
                "Archive completeness recomputed for %(count)d clients.",
                updated,
            )
            % {"count": updated},
            messages.INFO,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recompute(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recompute(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._recompute(request)


@admin.register(ClientSettings)
class ClientSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "big_account_min_contacts", "complete_at_percent", "aum_chart_months"]

    def has_add_permission(self, request):
        return not ClientSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        stakeholder_refresh(Client.objects.all())
        _settings_changed(
            request, "settings", {field: str(form.cleaned_data[field]) for field in form.changed_data}
        )
