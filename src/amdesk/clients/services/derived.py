"""Values stored on the client that other rows decide: completeness, stakeholder gap; the change log."""

from collections.abc import Iterable

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from amdesk.clients.completeness import completeness_refresh
from amdesk.clients.models import Client, ClientChange, ClientSettings, Contact
from amdesk.core.masking import mask

PERSONAL = {"id_number": "id_number", "mobile": "mobile"}


def stakeholder_refresh(queryset) -> int:
    """Flag big accounts with fewer contacts than the settings ask for, or no decision maker."""
    minimum = ClientSettings.current().big_account_min_contacts
    contacts = (
        Contact.objects.filter(client_id=OuterRef("pk"))
        .order_by()
        .values("client_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    gaps = (
        queryset.filter(is_big_account=True)
        .annotate(
            n_contacts=Coalesce(Subquery(contacts, output_field=IntegerField()), 0),
            has_decision_maker=Exists(
                Contact.objects.filter(client_id=OuterRef("pk"), is_decision_maker=True)
            ),
        )
        .filter(Q(n_contacts__lt=minimum) | Q(has_decision_maker=False))
        .values("pk")
    )
    flagged = queryset.filter(pk__in=gaps, stakeholder_gap=False).update(stakeholder_gap=True)
    cleared = queryset.filter(stakeholder_gap=True).exclude(pk__in=gaps).update(stakeholder_gap=False)
    return flagged + cleared


def derived_refresh(client_ids: Iterable[int]) -> None:
    clients = Client.objects.filter(pk__in=list(client_ids))
    completeness_refresh(clients)
    stakeholder_refresh(clients)


def _shown(field: str, value) -> str:
    if value is None:
        return ""
    if field in PERSONAL:
        return mask(str(value), PERSONAL[field])
    if hasattr(value, "code"):  # a reference item (VIP level): keep its code, shown by name later
        return value.code
    return str(value)[:200]


def changes_record(
    *, client: Client, before: dict, after: dict, actor, source=ClientChange.Source.EDIT, at=None
) -> list[ClientChange]:
    """One history row per field whose value differs; personal values kept masked."""
    at = at or timezone.now()
    rows = [
        ClientChange(
            client=client,
            field=field,
            old_value=_shown(field, before[field]),
            new_value=_shown(field, after[field]),
            source=source,
            changed_by=actor,
            changed_at=at,
        )
        for field in before
        if before[field] != after[field]
    ]
    return ClientChange.objects.bulk_create(rows)
