from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Long enough for any passphrase or password manager; short enough that nobody makes the server
# hash megabytes. The username's cap is the model's (150).
PASSWORD_MAX_LENGTH = 256


class SignInForm(AuthenticationForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The username or password is wrong. Note that the password is case-sensitive."),
        "inactive": _("This account can no longer sign in."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the username's max_length after the field is built, so no validator
        # checks it: an overlong name would reach authenticate() and the lockout's records.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class CappedPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].max_length = PASSWORD_MAX_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
