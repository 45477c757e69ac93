"""Sources over what account managers record day to day (visits…)."""

from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import Context, Source, register


def _visits(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.visits.models import Visit

    rows = (
        Visit.objects.filter(owner__in=ctx.staff_ids, visited_on__range=(ctx.start, ctx.end))
        .values_list("owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {owner: Decimal(n) for owner, n in rows}


register(Source("visits_made", _("Visits recorded"), _visits, unit="次"))
