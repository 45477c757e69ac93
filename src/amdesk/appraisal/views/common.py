"""What the appraisal pages share: a refusal as a message, the admin gate, the revision posted."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..services.access import is_appraisal_admin


def require_admin(request) -> None:
    if not is_appraisal_admin(request.user):
        raise PermissionDenied(_("Only the appraisal administrator may do this."))


def posted_revision(request) -> int | None:
    """The revision the form was rendered with (a stale form loses to whoever acted first)."""
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
