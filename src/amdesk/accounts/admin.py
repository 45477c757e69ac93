"""The system admin's views of sign-in: the accounts django-axes has locked (with an audited unlock)
and the API tokens in use (prefix and dates only: the keys are not stored)."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, LockedAccount
from .selectors import locked_account_list
from .services import account_unlock, api_token_revoke


@admin.register(LockedAccount)
class LockedAccountAdmin(admin.ModelAdmin):
    # axes' own field names are English only: each column is named here.
    list_display = ["account", "person", "address", "failures", "last_attempt", "unlocks_at"]
    list_display_links = None
    search_fields = ["username"]
    actions = ["unlock"]

    def get_queryset(self, request):
        return locked_account_list()

    @admin.display(description=_("username"), ordering="username")
    def account(self, obj) -> str:
        return obj.username

    @admin.display(description=_("full name"))
    def person(self, obj) -> str:
        return obj.full_name or ""

    @admin.display(description=_("IP address"))
    def address(self, obj) -> str:
        return obj.ip_address or ""

    @admin.display(description=_("failed sign-ins"))
    def failures(self, obj) -> int:
        return obj.failures_since_start

    @admin.display(description=_("last failed sign-in"), ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description=_("locked until"))
    def unlocks_at(self, obj):
        return obj.last_failure + settings.AXES_COOLOFF_TIME if obj.last_failure else None

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock(self, request, queryset):
        usernames = sorted(set(queryset.values_list("username", flat=True)))
        for username in usernames:
            account_unlock(actor=request.user, username=username, request=request)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", len(usernames))
            % {"count": len(usernames)},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_unlock_permission(self, request) -> bool:
        return super().has_change_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit: unlocking is the one (audited) action

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix_display", "user", "name", "created_at", "expires_at", "last_used_at"]
    list_display_links = None
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "prefix"]
    actions = ["revoke"]

    @admin.display(description=_("key prefix"), ordering="prefix")
    def prefix_display(self, obj) -> str:
        return f"{obj.prefix}…"

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            api_token_revoke(actor=request.user, token=token, request=request)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )

    def has_revoke_permission(self, request) -> bool:
        return super().has_delete_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoking is audited; a bare delete would not be
