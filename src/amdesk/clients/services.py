"""Writes to the client archive: each service one transaction, validated, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.masking import mask
from amdesk.orgs.access import access_client, client_q, may_hand_over, may_see_personal_data, staff_q
from amdesk.orgs.models import Staff

from . import identity
from .models import Client, ClientOwnership, ClientSearchKey
from .search import keys_for

REVEALABLE = {"id_number": "id_number", "mobile": "mobile"}


class StaleEdit(Exception):
    """Someone saved the client after this form was opened."""


def _refresh_search_keys(client: Client) -> None:
    ClientSearchKey.objects.filter(client=client).delete()
    ClientSearchKey.objects.bulk_create(
        ClientSearchKey(client=client, key=key)
        for key in keys_for(
            name=client.name, mobile=client.mobile, id_number=client.id_number, credit_code=client.credit_code
        )
    )


def _clean_identity(client: Client) -> None:
    """Normalise and check the identifiers; derive birth date and gender from the ID number."""
    errors = {}
    parsers = {"credit_code": identity.parse_credit_code, "mobile": identity.parse_mobile}
    for field, parse in parsers.items():
        value = getattr(client, field)
        if value:
            try:
                setattr(client, field, parse(value))
            except ValidationError as exc:
                errors[field] = exc.messages
    if client.id_number:
        try:
            parsed = identity.parse_resident_id(client.id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            client.id_number, client.birth_date, client.gender = (
                parsed.number,
                parsed.birth_date,
                parsed.gender,
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def client_create(*, actor, owner: Staff, data: dict, request=None) -> Client:
    client = Client(owner=owner, org_node=owner.org_node, **data)
    _clean_identity(client)
    client.full_clean()
    client.save()
    ClientOwnership.objects.create(client=client, owner=owner, reason=_("Created"), handed_over_by=None)
    _refresh_search_keys(client)
    audit_record(event=AuditEvent.CLIENT_CREATED, actor=actor, request=request, target=client)
    return client


@transaction.atomic
def client_update(*, actor, client: Client, data: dict, expected_version: int, request=None) -> Client:
    """Save changed fields only if nobody saved the client since `expected_version` was read."""
    before = {field: getattr(client, field) for field in [*data, "birth_date", "gender"]}
    for field, value in data.items():
        setattr(client, field, value)
    _clean_identity(client)
    client.full_clean()
    changed = {
        field: getattr(client, field) for field, value in before.items() if getattr(client, field) != value
    }
    if not changed:
        return client
    updated = Client.objects.filter(pk=client.pk, version=expected_version).update(
        **{field: getattr(client, field) for field in changed},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(_("Someone else saved this client after you opened it. Reload to see their changes."))
    client.refresh_from_db()
    if {"name", "mobile", "id_number", "credit_code"} & changed.keys():
        _refresh_search_keys(client)
    # The log records which fields changed, never their (personal) values.
    audit_record(
        event=AuditEvent.CLIENT_UPDATED,
        actor=actor,
        request=request,
        target=client,
        detail={"fields": sorted(changed)},
    )
    return client


@transaction.atomic
def client_handover(*, actor, client_ids, to_staff: Staff | None, reason: str, request=None) -> int:
    """Move clients to another account manager; the old owner loses them at once, history stays."""
    if not may_hand_over(actor):
        raise PermissionDenied(_("Only supervisors and heads hand clients over."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the clients are handed over.")})
    if to_staff is None or not Staff.objects.filter(staff_q(actor), pk=to_staff.pk).exists():
        raise ValidationError({"to_staff": _("This account manager is outside your organisation.")})
    if to_staff.status != Staff.Status.ACTIVE or "account_manager" not in to_staff.role_codes:
        raise ValidationError({"to_staff": _("Clients can only be handed to an active account manager.")})
    client_ids = set(client_ids)
    clients = list(
        Client.objects.select_for_update().filter(client_q(actor), pk__in=client_ids).select_related("owner")
    )
    if len(clients) != len(client_ids):
        raise Http404("No such client.")
    now = timezone.now()
    moving = [client for client in clients if client.owner_id != to_staff.pk]
    ids = [client.pk for client in moving]
    # Set-based: one UPDATE closes the old ownerships, one INSERT opens the new, one UPDATE moves.
    ClientOwnership.objects.filter(client_id__in=ids, ended_at__isnull=True).update(ended_at=now)
    ClientOwnership.objects.bulk_create(
        ClientOwnership(client=client, owner=to_staff, started_at=now, reason=reason, handed_over_by=actor)
        for client in moving
    )
    Client.objects.filter(pk__in=ids).update(
        owner=to_staff, org_node=to_staff.org_node, version=F("version") + 1, updated_at=now
    )
    for client in moving:
        audit_record(
            event=AuditEvent.CLIENT_HANDED_OVER,
            actor=actor,
            request=request,
            target=client,
            detail={"from": client.owner.employee_no, "to": to_staff.employee_no, "reason": reason},
        )
    return len(moving)


def client_reveal(*, actor, client_id, field: str, reason: str, request=None) -> str:
    """The unmasked value of one field of one client, for a permitted viewer, with the reason logged."""
    if field not in REVEALABLE:
        raise ValidationError({"field": _("Only the ID number or the mobile can be revealed.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to see this.")})
    client = access_client(actor, client_id)
    if not may_see_personal_data(actor):
        raise PermissionDenied(_("Your role may not see clients' personal data."))
    value = getattr(client, REVEALABLE[field])
    audit_record(
        event=AuditEvent.PERSONAL_DATA_REVEALED,
        actor=actor,
        request=request,
        target=client,
        detail={"field": field, "reason": reason, "masked": mask(value, field)},
    )
    return value
