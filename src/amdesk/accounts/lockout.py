"""What a locked-out user gets: the sign-in page with the message, or the API's error format."""

from django.shortcuts import render
from rest_framework.renderers import JSONRenderer

from amdesk.core.errors import error_body

from .forms import SignInForm
from .validators import locked_message

LOCKED_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    message = locked_message()
    if request.path.startswith("/api/"):
        from django.http import HttpResponse

        body = JSONRenderer().render(error_body("account_locked", message))
        return HttpResponse(body, status=LOCKED_STATUS, content_type="application/json")
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": message},
        status=LOCKED_STATUS,
    )
