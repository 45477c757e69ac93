from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Django's model backend with roles in the place of groups: a user's permissions are his
    own plus those of his roles, so the admin grants rights by role, not person by person."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(role__staff=user_obj)
