"""Admin: people (DISC job models and profiles, training sessions with attendance, team selling
shares and members, staffing ratios)."""

from django.contrib import admin

from ..models import (
    DiscModel,
    DiscProfile,
    SellingShareDefault,
    SellingTeamMember,
    StaffingRatio,
    TrainingAttendance,
    TrainingSession,
)


@admin.register(DiscModel)
class DiscModelAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "d", "i", "s", "c", "is_active"]
    list_filter = ["role", "is_active"]


@admin.register(DiscProfile)
class DiscProfileAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "assessed_on",
        "inner_d",
        "inner_i",
        "inner_s",
        "inner_c",
        "outer_d",
        "outer_i",
        "outer_s",
        "outer_c",
    ]
    list_select_related = ["staff"]
    autocomplete_fields = ["staff"]
    search_fields = ["candidate_name", "staff__full_name", "staff__employee_no"]
    readonly_fields = ["entered_by"]


class AttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "topic", "org_node", "hours", "trainer", "credits"]
    list_select_related = ["org_node"]
    date_hierarchy = "held_on"
    search_fields = ["topic", "trainer"]
    inlines = [AttendanceInline]
    readonly_fields = ["created_by"]


@admin.register(SellingShareDefault)
class SellingShareDefaultAdmin(admin.ModelAdmin):
    list_display = ["role", "share_percent"]


@admin.register(SellingTeamMember)
class SellingTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["client", "staff", "role", "share_percent"]
    list_select_related = ["client", "staff", "role"]
    autocomplete_fields = ["staff"]
    raw_id_fields = ["client"]
    search_fields = ["client__name", "staff__full_name"]


@admin.register(StaffingRatio)
class StaffingRatioAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "per_count", "per_role"]
    list_select_related = ["role", "per_role"]
