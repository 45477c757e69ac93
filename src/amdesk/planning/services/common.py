"""What the planning services share: the stale-write error and who may review."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleDocument(ValidationError):
    """The document changed after the caller read it (a ValidationError, so pages show it as one)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Someone saved this after you opened it. Reload to see the changes."))


class StaleSheet(StaleDocument):
    def __init__(self):
        super().__init__(
            _(
                "Someone saved this month's performance after you opened it; nothing of yours was saved. "
                "Reload to see their figures, then enter yours again."
            )
        )


def month_start(day):
    return day.replace(day=1)
