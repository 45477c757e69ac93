"""The client's answer page on a one-time link: no login, mobile-first, nothing about the client
beyond a greeting. Every request counts against the caller's rate limit (SurveySettings)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..forms import AnswerSheet
from ..services import SurveyLinkInvalid
from .common import sections_of

# By the error's stable code (never by its translated text, which changes with the language).
STATUS = {
    SurveyLinkInvalid.UNKNOWN: 404,
    SurveyLinkInvalid.USED: 410,
    SurveyLinkInvalid.EXPIRED: 410,
    SurveyLinkInvalid.CLOSED: 410,
}
HEADINGS = {
    SurveyLinkInvalid.UNKNOWN: gettext_lazy("Link not recognised"),
    SurveyLinkInvalid.USED: gettext_lazy("Already answered"),
    SurveyLinkInvalid.EXPIRED: gettext_lazy("Link expired"),
    SurveyLinkInvalid.CLOSED: gettext_lazy("Survey ended"),
}


def _unavailable(request, exc: SurveyLinkInvalid):
    context = {"reason": exc.code, "heading": HEADINGS[exc.code], "message": exc.message}
    status = STATUS[exc.code]
    return render(request, "surveys/public/unavailable.html", context, status=status)


def _too_many(request):
    context = {
        "reason": "rate_limited",
        "heading": _("Too many requests"),
        "message": _("Please wait a few minutes and open the link again."),
    }
    response = render(request, "surveys/public/unavailable.html", context, status=429)
    response["Retry-After"] = "60"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_answer_view(request, token: str):
    if not services.survey_public_rate_ok(request):
        return _too_many(request)
    try:
        invitation = services.invitation_for_token(token)
    except SurveyLinkInvalid as exc:
        return _unavailable(request, exc)
    questionnaire = invitation.round.questionnaire
    sheet = AnswerSheet(sections_of(questionnaire), request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            services.survey_answer_by_token(token=token, answers=sheet.answers(), request=request)
        except SurveyLinkInvalid as exc:  # answered or expired in another tab meanwhile
            return _unavailable(request, exc)
        except ValidationError as exc:
            sheet.apply_errors(exc)
        else:
            return redirect("surveys:public-thanks")
    context = {"questionnaire": questionnaire, "sheet": sheet, "valid_until": invitation.link_last_valid}
    return render(request, "surveys/public/answer.html", context, status=200)


@require_GET
def public_thanks_view(request):
    return render(request, "surveys/public/thanks.html")
