from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .forms import CappedPasswordChangeForm, SignInForm
from .selectors import access_api_token, api_token_list
from .services import api_token_revoke
from .throttle import sign_in_wait, throttled_message


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = sign_in_wait(request)
        if wait:
            # Refused before any password is checked: the address has failed too often.
            form = SignInForm(request, initial={"username": request.POST.get("username", "")[:150]})
            context = self.get_context_data(form=form, throttled_message=throttled_message(wait))
            response = render(request, self.template_name, context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = CappedPasswordChangeForm

    def get_success_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)  # the desk, wherever it lives

    def form_valid(self, form):
        # Saving the new password revokes the user's API tokens (accounts.receivers).
        response = super().form_valid(form)
        audit_record(event=AuditEvent.PASSWORD_CHANGED, actor=self.request.user, request=self.request)
        return response


@login_required
def token_list_view(request):
    """The user's own API tokens, to recognise and revoke them (the keys themselves are never kept)."""
    return render(request, "accounts/tokens.html", {"tokens": api_token_list(viewer=request.user)})


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = access_api_token(request.user, pk)
    api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")
