"""What the appraisal pages share: a refusal as a message, the admin gate, the revision posted."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from amdesk.core.limits import ID_MAX

from ..services.access import is_appraisal_admin
from ..services.locking import StalePeriod


def require_admin(request) -> None:
    if not is_appraisal_admin(request.user):
        raise PermissionDenied(_("Only the appraisal administrator may do this."))


def posted_revision(request) -> int | None:
    """The revision the form was rendered with (a stale form loses to whoever acted first). One that
    is not a number cannot be checked, so it loses too rather than skip the check."""
    raw = request.POST.get("revision", "")
    if raw == "":
        return None
    number = posted_number(raw)
    if number is None:
        raise StalePeriod()
    return number


def posted_number(raw: str) -> int | None:
    """A revision typed into a form (ids go through posted.posted_id): ASCII digits within the
    database's range, else None
    ("²" is a digit to str.isdigit() but not to int())."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if number <= ID_MAX else None
