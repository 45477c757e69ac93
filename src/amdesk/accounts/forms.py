from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is wrong. Note that the password is case-sensitive."),
        "inactive": _("This account can no longer sign in."),
    }
