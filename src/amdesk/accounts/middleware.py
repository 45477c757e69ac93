"""The absolute session lifetime: a session ends 12 hours after sign-in however active it is.

The idle limit is Django's own (SESSION_COOKIE_AGE renewed on every request); Django has no
absolute limit, so the sign-in time is kept in the session and checked here.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

SIGNED_IN_AT = "amdesk_signed_in_at"


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if started is None:
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                audit_record(
                    event=AuditEvent.SESSION_EXPIRED,
                    actor=user,
                    request=request,
                    detail={"reason": "absolute"},
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: the API answers 401/403 itself
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
