"""Admin: ladder rules, ladder proposals (read only: decided on the proposals page), pay bands,
grade allowances and pay settings."""

from django.contrib import admin

from ..models import GradeAllowance, LadderProposal, LadderRule, PayBand, PaySettings


@admin.register(LadderRule)
class LadderRuleAdmin(admin.ModelAdmin):
    list_display = ["grade", "promote_score", "promote_periods", "demote_below", "is_active"]
    list_editable = ["promote_score", "promote_periods", "demote_below", "is_active"]
    list_select_related = ["grade"]


@admin.register(LadderProposal)
class LadderProposalAdmin(admin.ModelAdmin):
    """Read only: a decision goes through the service (grade history, audit), on the proposals page."""

    list_display = [
        "period",
        "staff",
        "direction",
        "from_grade",
        "to_grade",
        "state",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state", "direction"]
    list_select_related = ["period__version__scheme", "staff", "from_grade", "to_grade", "decided_by"]
    search_fields = ["staff__full_name", "staff__employee_no"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PayBand)
class PayBandAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "min_aum",
        "min_grade",
        "base_monthly",
        "formal_contract",
        "opening_bonus_only",
        "order",
        "is_active",
    ]
    list_select_related = ["min_grade"]
    list_filter = ["is_active"]


@admin.register(GradeAllowance)
class GradeAllowanceAdmin(admin.ModelAdmin):
    list_display = ["grade", "monthly"]
    list_editable = ["monthly"]
    list_select_related = ["grade"]


@admin.register(PaySettings)
class PaySettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "opening_bonus",
        "performance_pay_full",
        "performance_floor_score",
        "deferred_percent",
        "deferred_months",
    ]

    def has_add_permission(self, request):
        return not PaySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
