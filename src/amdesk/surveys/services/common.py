"""Who may manage surveys, and the errors the survey services raise besides ValidationError."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import records_q, scope_of
from amdesk.orgs.models import Role

from ..models import SurveyInvitation

# Role codes (presets/common.toml) of those who oversee account managers: supervisor, outlet or
# branch head, system admin. The same codes as amdesk.service.workflow.OVERSEER_ROLES, kept here so
# that surveys do not depend on the ticket app.
OVERSEER_ROLES = ("supervisor", "head", "system_admin")


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


def is_overseer(viewer) -> bool:
    """A supervisor, outlet/branch head or system admin (the role codes that oversee tickets too), with
    a scope wider than his own records. A wide scope alone is not enough: product and risk managers,
    lending officers, the service desk and the appraisal admin read the figures of their scope but
    neither run survey rounds nor answer for another account manager's clients."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    cached = getattr(viewer, "_amdesk_survey_overseer", None)
    if cached is None:
        cached = scope_of(viewer).kind != Role.Scope.OWN and (
            viewer.is_superuser or viewer.roles.filter(code__in=OVERSEER_ROLES).exists()
        )
        viewer._amdesk_survey_overseer = cached
    return cached


def may_manage_surveys(viewer) -> bool:
    """Questionnaires and rounds (create, open, close, choose whom to ask) are for the overseers."""
    return is_overseer(viewer)


def recorder_q(viewer) -> Q:
    """Invitations whose answers the viewer may record, or for which he may issue a link: those of
    the clients he was account manager of when the round opened; an overseer also those in his scope."""
    if is_overseer(viewer):
        return records_q(viewer)
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Q(pk__in=[])
    return Q(owner_id=viewer.pk)


def may_record_answers(viewer, invitation) -> bool:
    """Whether the viewer may record this invitation's answers or issue its link (recorder_q)."""
    return SurveyInvitation.objects.filter(recorder_q(viewer), pk=invitation.pk).exists()
