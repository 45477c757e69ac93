"""One gate for every write on a period: the row is locked for the transaction, an approved period
refuses changes, and a caller who read an older revision loses to whoever acted first."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import AppraisalPeriod


class StalePeriod(ValidationError):
    """Someone else changed the period since the caller read it (the API answers 409)."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this period in the meantime (it was run, adjusted, signed off or "
                "approved). Reload the page and try again."
            ),
            code="stale",
        )


def lock_period(
    period: AppraisalPeriod, revision: int | None, *, allow_locked: bool = False
) -> AppraisalPeriod:
    fresh = (
        AppraisalPeriod.objects.select_for_update(of=("self",))
        .select_related("version__scheme__org_node")
        .get(pk=period.pk)
    )
    if revision is not None and fresh.revision != revision:
        raise StalePeriod()
    if fresh.is_locked and not allow_locked:
        raise ValidationError(
            _("The period is approved and locked; reopen it with a reason first."), code="locked"
        )
    return fresh
