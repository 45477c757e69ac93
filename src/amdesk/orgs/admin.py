"""Admin pages for the org tree, staff, roles and the ladder. Every change goes through the
org services, so the tree's paths stay right and role and permission changes are audited."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import GradeHistory, LadderGrade, OrgLevel, OrgNode, Role, Staff
from .services import (
    OrgError,
    org_node_create,
    org_node_move,
    role_set_permissions,
    staff_leave,
    staff_reinstate,
    staff_set_grade,
    staff_set_roles,
    staff_sync_flags,
)

admin.site.unregister(Group)  # roles take the place of groups
admin.site.site_header = _("AMDesk administration")
admin.site.site_title = _("AMDesk")


@admin.register(OrgLevel)
class OrgLevelAdmin(admin.ModelAdmin):
    list_display = ["depth", "name", "name_en", "reports_as_branch"]
    list_editable = ["name", "name_en", "reports_as_branch"]


@admin.register(OrgNode)
class OrgNodeAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "level", "leader", "is_active"]
    list_filter = ["depth", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "leader"]
    readonly_fields = ["depth", "path"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, node):
        return "　" * node.depth + node.name

    @admin.display(description=_("level"))
    def level(self, node):
        return OrgLevel.objects.filter(depth=node.depth).first() or node.depth

    def has_delete_permission(self, request, obj=None):
        return False  # nodes are deactivated, so that history keeps its place in the tree

    def save_model(self, request, obj, form, change):
        if not change:
            node = org_node_create(
                actor=request.user, name=obj.name, code=obj.code, parent=obj.parent, leader=obj.leader
            )
            obj.pk, obj.path, obj.depth = node.pk, node.path, node.depth
            return
        new_parent = obj.parent
        obj.parent = OrgNode.objects.get(pk=obj.pk).parent  # only the move service changes the parent
        obj.save()
        if "parent" in form.changed_data:
            try:
                org_node_move(actor=request.user, node=obj, new_parent=new_parent)
            except OrgError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        audit_record(
            event=AuditEvent.ORG_NODE_CHANGED,
            actor=request.user,
            request=request,
            target=obj,
            detail={"action": "change", "fields": form.changed_data},
        )


class StaffCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = Staff
        fields = ("username", "employee_no", "full_name", "org_node")


class GradeHistoryInline(admin.TabularInline):
    model = GradeHistory
    fk_name = "staff"
    extra = 0
    fields = ["effective_on", "previous_grade", "grade", "reason", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    add_form = StaffCreationForm
    list_display = ["employee_no", "username", "full_name", "org_node", "grade", "role_list", "status"]
    list_filter = ["status", "roles", "grade", "org_node__depth"]
    search_fields = ["username", "employee_no", "full_name", "phone"]
    ordering = ["employee_no"]
    autocomplete_fields = ["org_node", "supervisor"]
    filter_horizontal = ["roles"]
    readonly_fields = [
        "status",
        "left_on",
        "is_active",
        "is_staff",
        "is_superuser",
        "grade",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "employee_no",
                    "full_name",
                    "phone",
                    "email",
                    "org_node",
                    "supervisor",
                    "hire_date",
                    "grade",
                ]
            },
        ),
        (_("Roles"), {"fields": ["roles"], "description": _("Rights and data scope come from the roles.")}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "left_on",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "employee_no", "full_name", "org_node", "password1", "password2"],
            },
        ),
    ]
    inlines = [GradeHistoryInline]
    actions = ["mark_left", "reinstate"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("org_node", "grade").prefetch_related("roles")

    @admin.display(description=_("roles"))
    def role_list(self, staff):
        return " / ".join(role.label for role in staff.roles.all())

    def has_delete_permission(self, request, obj=None):
        return False  # people leave; their history stays

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(event=AuditEvent.STAFF_CREATED, actor=request.user, request=request, target=obj)

    def save_related(self, request, form, formsets, change):
        roles = form.cleaned_data.pop("roles", None)
        super().save_related(request, form, formsets, change)
        if roles is not None:
            staff_set_roles(actor=request.user, staff=form.instance, roles=roles, request=request)

    @admin.action(description=_("Mark as left (can no longer sign in)"))
    def mark_left(self, request, queryset):
        for staff in queryset:
            try:
                staff_leave(actor=request.user, staff=staff, request=request)
            except OrgError as exc:
                self.message_user(request, str(exc), messages.WARNING)

    @admin.action(description=_("Reinstate"))
    def reinstate(self, request, queryset):
        for staff in queryset:
            try:
                staff_reinstate(actor=request.user, staff=staff, request=request)
            except OrgError as exc:
                self.message_user(request, str(exc), messages.WARNING)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "name_en",
        "scope",
        "write_scope",
        "may_see_personal_data",
        "admin_site",
        "superuser",
    ]
    filter_horizontal = ["permissions"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # role codes are what the code checks; presets create them

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"admin_site", "superuser", "scope", "write_scope", "may_see_personal_data"} & set(
            form.changed_data
        ):
            audit_record(
                event=AuditEvent.ROLE_PERMISSIONS_CHANGED,
                actor=request.user,
                request=request,
                target=obj,
                detail={"fields": form.changed_data},
            )
            for staff in obj.staff.all():
                staff_sync_flags(actor=request.user, staff=staff, request=request)

    def save_related(self, request, form, formsets, change):
        permissions = form.cleaned_data.pop("permissions", None)
        super().save_related(request, form, formsets, change)
        if permissions is not None:
            role_set_permissions(
                actor=request.user, role=form.instance, permissions=permissions, request=request
            )


@admin.register(LadderGrade)
class LadderGradeAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "tier", "tier_name", "name", "name_en"]
    list_display_links = ["code"]


@admin.register(GradeHistory)
class GradeHistoryAdmin(admin.ModelAdmin):
    """Grade changes are recorded here (the staff form shows the history read-only)."""

    list_display = ["staff", "effective_on", "previous_grade", "grade", "reason", "recorded_by"]
    list_filter = ["grade"]
    search_fields = ["staff__full_name", "staff__employee_no"]
    autocomplete_fields = ["staff"]
    fields = ["staff", "grade", "effective_on", "reason"]

    def has_change_permission(self, request, obj=None):
        return False  # history is corrected by a new entry, not rewritten

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        entry = staff_set_grade(
            actor=request.user,
            staff=obj.staff,
            grade=obj.grade,
            effective_on=obj.effective_on,
            reason=obj.reason,
        )
        obj.pk = entry.pk
