"""Admin: library (dimensions, indicators, manual values). The pages under /appraisal/library/ are the
everyday way; the admin site is for the operator. An indicator saved here is checked the same way
(Indicator.clean → validate_source)."""

from django.contrib import admin
from django.utils import timezone

from ..models import Dimension, Indicator, ManualValue


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "dimension",
        "unit",
        "higher_is_better",
        "source",
        "optional",
        "is_active",
    ]
    list_filter = ["dimension", "source", "optional", "is_active"]
    list_select_related = ["dimension"]
    search_fields = ["code", "name", "name_en"]


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "staff", "period_start", "period_end", "value", "entered_by", "entered_at"]
    list_filter = ["indicator", "period_start"]
    list_select_related = ["indicator", "staff", "entered_by"]
    autocomplete_fields = ["staff"]
    search_fields = ["staff__full_name", "staff__employee_no", "indicator__code"]
    readonly_fields = ["entered_by", "entered_at"]
    date_hierarchy = "period_start"

    def save_model(self, request, obj, form, change):
        # Who entered a value is who saved it, here as on the pages.
        obj.entered_by, obj.entered_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
