"""API tokens of our own: only a SHA-256 digest of each key is stored, so neither the database nor
the admin can hand anyone a working token. The clear key is shown once, when it is issued."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("token name"), max_length=60, blank=True)
    # The key's first characters: found by index, shown so the owner recognises his tokens.
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class LockedAccount(AccessAttempt):
    """django-axes' record of failed sign-ins, seen in the admin as the accounts it has locked."""

    class Meta:
        proxy = True
        verbose_name = _("locked account")
        verbose_name_plural = _("locked accounts")
