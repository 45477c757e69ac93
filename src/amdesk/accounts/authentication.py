from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token: Token) -> bool:
    return timezone.now() - token.created > timedelta(seconds=settings.AMDESK_API_TOKEN_SECONDS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's tokens never expire; ours end like a session does (12 hours after issue by default)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired; request a new one."))
        return user, token
