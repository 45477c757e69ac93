"""Holdings and AUM snapshots: what a client holds, and its assets under management over time."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import AumSnapshot, Client, ClientChange, Holding, Product
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import check_client_write

from .derived import derived_refresh

SNAPSHOT_BATCH = 5000
CENT = Decimal("0.01")


def _money(amount: Decimal) -> str:
    """The history shows balances alike whether they came from the database or from input."""
    return str(Decimal(amount).quantize(CENT))


@transaction.atomic
def holding_set(
    *,
    actor,
    client: Client,
    product: Product,
    balance: Decimal,
    account_no: str = "",
    opened_on=None,
    request=None,
) -> Holding | None:
    """Set a client's balance of one product; a zero balance closes the holding."""
    check_client_write(actor, client)
    if balance < 0:
        raise ValidationError({"balance": _("A balance cannot be negative.")})
    if not product.is_active:
        raise ValidationError({"product": _("This product is no longer offered.")})
    account_no = "".join(account_no.split())
    if account_no and not account_no.isdigit():
        raise ValidationError({"account_no": _("An account or card number has digits only.")})
    holding = Holding.objects.filter(client=client, product=product).first()
    old = holding.balance if holding else Decimal("0")
    if balance == 0:
        if holding:
            holding.delete()
        holding = None
    else:
        holding = holding or Holding(client=client, product=product)
        holding.balance, holding.updated_at = balance, timezone.now()
        holding.account_no = account_no or holding.account_no
        holding.opened_on = opened_on or holding.opened_on
        holding.full_clean()
        holding.save()
    if old != balance:
        ClientChange.objects.create(
            client=client,
            field=f"holding:{product.code}",
            old_value=_money(old),
            new_value=_money(balance),
            changed_by=actor,
        )
        audit_record(
            event=AuditEvent.CLIENT_HOLDING_CHANGED,
            actor=actor,
            request=request,
            target=client,
            detail={"product": product.code},
        )
    derived_refresh([client.pk])
    return holding


def _latest_to_client(client_ids=None) -> None:
    """Copy each client's latest snapshot onto the client row (for list filters and sorting)."""
    latest = AumSnapshot.objects.filter(client_id=OuterRef("pk")).order_by("-as_of")
    clients = Client.objects.all() if client_ids is None else Client.objects.filter(pk__in=client_ids)
    clients.filter(aum_snapshots__isnull=False).distinct().update(
        aum=Subquery(latest.values("amount")[:1]), aum_as_of=Subquery(latest.values("as_of")[:1])
    )


@transaction.atomic
def aum_record(*, actor, client: Client, as_of: date, amount: Decimal, request=None) -> AumSnapshot:
    """Record (or correct) one client's AUM on one date."""
    check_client_write(actor, client)
    if amount < 0:
        raise ValidationError({"amount": _("AUM cannot be negative.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("An AUM snapshot cannot be dated in the future.")})
    snapshot, _created = AumSnapshot.objects.update_or_create(
        client=client, as_of=as_of, defaults={"amount": amount}
    )
    _latest_to_client([client.pk])
    audit_record(
        event=AuditEvent.AUM_RECORDED,
        actor=actor,
        request=request,
        target=client,
        detail={"as_of": str(as_of), "amount": str(amount)},
    )
    return snapshot


def aum_snapshot_take(*, actor=None, as_of: date | None = None) -> int:
    """Snapshot every client's AUM (the balances of products that count to AUM) on one date.

    Set-based in batches: one aggregate query per batch of clients and one upsert.
    """
    as_of = as_of or timezone.localdate()
    total = 0
    assets = Sum("holdings__balance", filter=Q(holdings__product__counts_to_aum=True))
    last_id = 0
    while True:
        rows = list(
            Client.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .annotate(amount=Coalesce(assets, Decimal("0"), output_field=DecimalField()))
            .values_list("pk", "amount")[:SNAPSHOT_BATCH]
        )
        if not rows:
            break
        with transaction.atomic():
            AumSnapshot.objects.bulk_create(
                [AumSnapshot(client_id=pk, as_of=as_of, amount=amount) for pk, amount in rows],
                update_conflicts=True,
                unique_fields=["client", "as_of"],
                update_fields=["amount"],
            )
            _latest_to_client([pk for pk, _amount in rows])
        total += len(rows)
        last_id = rows[-1][0]
    audit_record(
        event=AuditEvent.AUM_SNAPSHOT_TAKEN, actor=actor, detail={"as_of": str(as_of), "clients": total}
    )
    return total
