from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .services import api_token_find, api_token_touch


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against our hashed tokens (accounts.ApiToken), which end like a
    session does (12 hours after issue by default) and go when the owner's password changes."""

    def authenticate_credentials(self, key):
        token = api_token_find(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.expired():
            token.delete()
            raise AuthenticationFailed(_("The token has expired; request a new one."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        api_token_touch(token)
        return token.user, token
