"""Handovers received: the clients handed to an account manager in one handover (clients.services
client_handover writes one ownership row per client, all with the same moment), one notification
per handover with the number of clients."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amdesk.clients.models import ClientOwnership

from ..kinds import HANDOVER_RECEIVED
from ..services import Draft

KINDS = (HANDOVER_RECEIVED,)


def drafts(*, now, settings) -> list[Draft]:
    since = now - timedelta(days=settings.lookback_days)
    batches = (
        ClientOwnership.objects.filter(
            how=ClientOwnership.How.HANDOVER,
            started_at__gte=since,
            started_at__lte=now,
            owner__is_active=True,
        )
        .order_by()
        .values("owner_id", "started_at", "handed_over_by_id", "handed_over_by__full_name", "reason")
        .annotate(clients=Count("pk"))
    )
    return [
        Draft(
            user_id=batch["owner_id"],
            kind=HANDOVER_RECEIVED,
            key=f"{batch['started_at'].isoformat()}:{batch['handed_over_by_id'] or 0}",
            title=ngettext(
                "%(n)d client was handed over to you by %(by)s",
                "%(n)d clients were handed over to you by %(by)s",
                batch["clients"],
            )
            % {"n": batch["clients"], "by": batch["handed_over_by__full_name"] or _("the system")},
            body=batch["reason"],
            url=reverse("clients:list"),
        )
        for batch in batches
    ]
