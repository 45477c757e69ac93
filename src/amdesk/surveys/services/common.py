"""Who may manage surveys, and the errors the survey services raise besides ValidationError."""

from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import scope_of
from amdesk.orgs.models import Role


class StaleSurveyData(Exception):
    """Someone saved the questionnaire, round or action after this form was opened (API: 409)."""


class SurveyLinkInvalid(Exception):
    """The public link's token is unknown, used or expired; `message` is for the client (translated)."""

    UNKNOWN = _("This survey link is not valid. Please check that you opened the whole link.")
    USED = _("This survey has already been answered on this link. Thank you!")
    EXPIRED = _("This survey link has expired. Please ask your account manager for a new one.")
    CLOSED = _("This survey has ended. Thank you for your interest.")

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def may_manage_surveys(viewer) -> bool:
    """Questionnaires and rounds are for those who oversee several account managers (and admins)."""
    return scope_of(viewer).kind != Role.Scope.OWN
