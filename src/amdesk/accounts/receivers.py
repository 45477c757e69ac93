"""Audit entries for sign-in events, which Django and django-axes announce as signals; the count of
failed sign-ins per address; and API tokens revoked when their owner's credentials change."""

import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult

from .middleware import SIGNED_IN_AT
from .services import api_tokens_revoke_all
from .throttle import sign_in_failed


@receiver(user_logged_in, dispatch_uid="amdesk_audit_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
    audit_record(event=AuditEvent.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="amdesk_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(event=AuditEvent.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="amdesk_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # A locked account's attempts are refused before the password is checked: recorded as denied.
    locked = bool(getattr(request, "axes_locked_out", False))
    sign_in_failed(request)
    audit_record(
        event=AuditEvent.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
        result=AuditResult.DENIED if locked else AuditResult.FAILURE,
    )


@receiver(user_locked_out, dispatch_uid="amdesk_audit_lockout")
def on_lockout(sender, request, username, ip_address, **kwargs):
    audit_record(
        event=AuditEvent.LOCKOUT,
        request=request,
        username=str(username or "")[:150],
        result=AuditResult.DENIED,
    )


# A token must not outlive the password that obtained it, nor the account. These are signals on the
# user model, not calls in services, because the password changes in several places that are not
# ours (the change form, the admin's password form, set_password anywhere): whatever saves a new
# password hash, or turns is_active off, revokes the tokens right after the save. (A hasher upgrade
# on sign-in rewrites the hash too and so revokes them, as Django's session check logs him out.)
CREDENTIAL_FIELDS = {"password", "is_active"}


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="amdesk_tokens_note_credentials")
def note_credentials_change(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._amdesk_revoke_tokens = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not CREDENTIAL_FIELDS & set(update_fields):
        return  # e.g. last_login on every sign-in: no query
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        instance._amdesk_revoke_tokens = "password_changed"
    elif before["is_active"] and not instance.is_active:
        instance._amdesk_revoke_tokens = "deactivated"


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="amdesk_tokens_revoke_on_credentials")
def revoke_tokens_on_credentials_change(sender, instance, created, raw=False, **kwargs):
    reason = getattr(instance, "_amdesk_revoke_tokens", None)
    if reason and not raw:
        instance._amdesk_revoke_tokens = None
        api_tokens_revoke_all(user=instance, reason=reason)
