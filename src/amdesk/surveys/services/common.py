"""Who may manage surveys, and the errors the survey services raise besides ValidationError."""

from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import scope_of
from amdesk.orgs.models import Role


class StaleSurveyData(Exception):
    """Someone saved the questionnaire, round or action after this form was opened (API: 409)."""


class SurveyLinkInvalid(Exception):
    """The public link's token is unknown, used or expired. `code` (stable, one of the constants) is
    what pages choose by; `message` is the client's text for it, translated when shown."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    CLOSED = "closed"
    MESSAGES = {
        UNKNOWN: _("This survey link is not valid. Please check that you opened the whole link."),
        USED: _("This survey has already been answered on this link. Thank you!"),
        EXPIRED: _("This survey link has expired. Please ask your account manager for a new one."),
        CLOSED: _("This survey has ended. Thank you for your interest."),
    }

    def __init__(self, code: str):
        if code not in self.MESSAGES:
            raise ValueError(f"Unknown survey link problem: {code!r}")
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return self.MESSAGES[self.code]


def may_publish_questionnaires(viewer) -> bool:
    """Questionnaires are organisation-wide: publishing or archiving one needs the permission
    (administrators have it; a role may be given it in the admin)."""
    return bool(viewer and viewer.is_active and viewer.has_perm("surveys.publish_questionnaire"))


def may_manage_surveys(viewer) -> bool:
    """Questionnaires and rounds are for those who oversee several account managers (and admins)."""
    return scope_of(viewer).kind != Role.Scope.OWN
