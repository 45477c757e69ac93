from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:desk")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(event=AuditEvent.PASSWORD_CHANGED, actor=self.request.user, request=self.request)
        return response
