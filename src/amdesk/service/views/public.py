"""The public rating page /service/rate/<token>/: no login, phone first, one use, rate-limited.
It greets the client with a salutation only and shows nothing else of the client or the ticket."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amdesk.core.ratelimit import hit, retry_after

from .. import services
from ..forms import PublicRatingForm
from ..models import ServiceSettings


def _limits() -> tuple[int, int]:
    row = ServiceSettings.current()
    return row.rating_rate_limit, row.rating_rate_window_seconds


def _unavailable(request, reason: str, status: int):
    texts = {
        "unknown": (
            _("This link is not valid"),
            _("Please check that the whole link was opened, or ask your account manager for a new one."),
        ),
        "used": (
            _("This link has already been used"),
            _("Thank you: your rating has been received. Each link can be used once."),
        ),
        "expired": (
            _("This link has expired"),
            _("Please ask your account manager for a new link if you would still like to rate the handling."),
        ),
        "limited": (
            _("Too many attempts"),
            _("Please wait a few minutes and open the link again."),
        ),
    }
    headline, explanation = texts.get(reason, texts["unknown"])
    context = {"outcome": reason, "headline": headline, "explanation": explanation}
    return render(request, "service/rate.html", context, status=status)


STATUS = {"unknown": 404, "used": 410, "expired": 410}


@never_cache
@require_http_methods(["GET", "POST"])
def rate_view(request, token: str):
    limit, window = _limits()
    if not hit(request, scope="service-rate", limit=limit, window_seconds=window):
        response = _unavailable(request, "limited", 429)
        response["Retry-After"] = str(retry_after(window))
        return response
    try:
        link = services.rating_link_check(token)
    except services.RatingLinkInvalid as exc:
        return _unavailable(request, exc.reason, STATUS.get(exc.reason, 404))
    form = PublicRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_rate_by_token(
                token=token,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data.get("comment", ""),
                request=request,
            )
        except services.RatingLinkInvalid as exc:
            return _unavailable(request, exc.reason, STATUS.get(exc.reason, 404))
        return render(request, "service/rate.html", {"outcome": "thanks"})
    stars = [(n, _("%(n)s of 5") % {"n": n}) for n in range(5, 0, -1)]
    context = {"form": form, "salutation": link.salutation, "stars": stars, "outcome": ""}
    return render(request, "service/rate.html", context)
