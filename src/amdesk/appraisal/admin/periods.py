"""Admin: periods and their results, read only. Periods are opened, run, adjusted, approved and
reopened on the period pages (services with revision checks and audit), never edited here."""

from django.contrib import admin

from ..models import AppraisalPeriod, ScoreCard, TeamSignOff


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignOffInline(admin.TabularInline):
    model = TeamSignOff
    fields = ["org_node", "signed_by", "signed_at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AppraisalPeriod)
class AppraisalPeriodAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "start", "end", "sign_off_due", "computed_at", "approved_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["version__scheme"]
    inlines = [SignOffInline]


@admin.register(ScoreCard)
class ScoreCardAdmin(ReadOnlyAdmin):
    list_display = ["period", "staff", "org_node", "score", "team_rank", "branch_rank"]
    list_filter = ["period"]
    list_select_related = ["period__version__scheme", "staff", "org_node"]
    search_fields = ["staff__full_name", "staff__employee_no"]
    raw_id_fields = ["staff"]
