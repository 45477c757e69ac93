"""Sources over key clients: retention rate 客户保有率 and churn, from the owner history and the
archive's lifecycle changes. Credited through teams.credit(); a fixed number of queries."""

from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from . import Context, Source, register
from .clients import LIFECYCLE, concerning_q, lifecycle_at, owned_at_q, owner_then_q
from .teams import credit, credit_sums, day_after, day_start, rates


def _key_client_retention(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.clients.models import Client, ClientOwnership

    begin, finish = day_start(ctx.start), day_after(ctx.end)
    lost = Client.Lifecycle.LOST
    still_his = ClientOwnership.objects.filter(client=OuterRef("client"), owner=OuterRef("owner")).filter(
        owned_at_q(finish)
    )
    gone = Q(at_end=lost) | Q(client__offboarded_on__lte=ctx.end)

    def rows(concern: Q):
        # Summed by the database: v0 kept (still his, not lost nor offboarded), v1 the key clients.
        return (
            ClientOwnership.objects.filter(concern, owned_at_q(begin), client__tier__is_key=True)
            .annotate(at_start=lifecycle_at(begin), at_end=lifecycle_at(finish), kept=Exists(still_his))
            .exclude(at_start=lost)
            .values(
                row_client=F("client_id"),
                row_owner=F("owner_id"),
                v0=Case(When(Q(kept=True) & ~gone, then=Value(1)), default=Value(0)),
                v1=Value(1),
            )
        )

    sums = credit_sums(ctx, rows, (0, 0))
    return rates({staff: (kept, held) for staff, (kept, held) in sums.items()})


def _churned_key_clients(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.clients.models import Client, ClientChange, ClientOwnership

    begin, finish = day_start(ctx.start), day_after(ctx.end)
    # Left him: his ownership ended in the period (handed over to someone else).
    left = (
        ClientOwnership.objects.filter(client__tier__is_key=True, ended_at__gte=begin, ended_at__lt=finish)
        .filter(concerning_q(ctx))
        .values_list("client_id", "owner_id")
    )
    # Became lost in the period while his.
    became_lost = ClientChange.objects.filter(
        owner_then_q(ctx),
        client__tier__is_key=True,
        field=LIFECYCLE,
        new_value=Client.Lifecycle.LOST,
        changed_at__gte=begin,
        changed_at__lt=finish,
    ).values_list("client_id", "client__ownerships__owner_id")
    pairs = set(left) | set(became_lost)
    return credit(ctx, ((client, owner, Decimal(1)) for client, owner in pairs))


register(
    Source(
        "key_client_retention",
        _("Key-client retention rate"),
        _key_client_retention,
        unit="%",
        empty=None,
        help=_(
            "Of the key-tier clients he owned at the start of the period (not lost then), the share "
            "still his and not lost or offboarded at its end, in percent. The tier is the client's "
            "current one."
        ),
    )
)

register(
    Source(
        "churned_key_clients",
        _("Key clients churned"),
        _churned_key_clients,
        unit="户",
        help=_(
            "Key-tier clients that left him in the period (handed over) or became lost clients while his."
        ),
    )
)
