"""Audit entries for sign-in events, which Django and django-axes announce as signals."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult

from .middleware import SIGNED_IN_AT


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
