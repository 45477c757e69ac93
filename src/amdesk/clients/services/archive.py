"""Writes to the client archive: each service one transaction, validated, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients import identity
from amdesk.clients.models import Client, ClientChange, ClientOwnership, ClientSearchKey, Holding, Tag
from amdesk.clients.search import keys_for
from amdesk.clients.signals import clients_handed_over
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.limits import NAME_MAX
from amdesk.core.masking import mask
from amdesk.orgs.access import (
    access_client,
    check_client_write,
    client_q,
    may_hand_over,
    may_see_personal_data,
    read_only_message,
    staff_q,
)
from amdesk.orgs.models import Staff

from .derived import changes_record, derived_refresh

# Fields a permitted viewer may reveal, and the masking kind of each; "account:<holding id>"
# reveals the account or card number of one holding of the client.
REVEALABLE = {"id_number": "id_number", "mobile": "mobile"}
ACCOUNT_PREFIX = "account:"
TAG_MAX = 30


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


def _clean_identity(client: Client) -> dict[str, list[str]]:
    """Normalise and check the identifiers; derive birth date and gender from the ID number.

    Returns the errors found instead of raising them, so one answer lists every invalid field.
    """
    errors: dict[str, list[str]] = {}
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
    return errors


def _validate(client: Client, *, assigned=("tier", "grade")) -> None:
    """Identity checks, the model's own validation and no newly assigned retired tier or grade, all
    errors at once. `assigned`: the preset fields given a new value (a client kept on a tier that was
    retired since keeps it through other edits)."""
    errors = _clean_identity(client)
    for field in assigned:
        item = getattr(client, field)
        if item is not None and not item.is_active:
            errors[field] = [_("%(name)s is no longer in use; choose another.") % {"name": item}]
    try:
        client.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def client_create(*, actor, owner: Staff, data: dict, request=None) -> Client:
    # The new client is the owner's: the actor must be one who changes the owner's records.
    if actor is not None and not Staff.objects.filter(staff_q(actor, for_write=True), pk=owner.pk).exists():
        raise PermissionDenied(read_only_message(actor))
    data = dict(data)
    tags = data.pop("tags", None)
    client = Client(owner=owner, org_node=owner.org_node, **data)
    _validate(client)
    client.save()
    ClientOwnership.objects.create(client=client, owner=owner, how=ClientOwnership.How.CREATED)
    _refresh_search_keys(client)
    tag_names = _clean_tag_names(tags or [])
    if tag_names:
        client.tags.set(_tags_named(tag_names))
        # The other fields' first values are the created client itself; tags live in another
        # table, so their first value is written to the history like any later change.
        changes_record(client=client, before={"tags": ""}, after={"tags": ", ".join(tag_names)}, actor=actor)
    derived_refresh([client.pk])
    client.refresh_from_db()
    audit_record(event=AuditEvent.CLIENT_CREATED, actor=actor, request=request, target=client)
    return client


@transaction.atomic
def client_update(*, actor, client: Client, data: dict, expected_version: int, request=None) -> Client:
    """Save changed fields only if nobody saved the client since `expected_version` was read."""
    check_client_write(actor, client)
    data = dict(data)
    tags = data.pop("tags", None)
    before = {field: getattr(client, field) for field in [*data, "birth_date", "gender"]}
    tags_before = _tag_names(client) if tags is not None else None
    for field, value in data.items():
        setattr(client, field, value)
    _validate(client, assigned=[f for f in ("tier", "grade") if f in data and data[f] != before[f]])
    changed = {
        field: getattr(client, field) for field, value in before.items() if getattr(client, field) != value
    }
    tags_after = _clean_tag_names(tags) if tags is not None else None
    if tags_after != tags_before:
        changed["tags"] = tags_after
    if not changed:
        return client
    updated = Client.objects.filter(pk=client.pk, version=expected_version).update(
        **{field: getattr(client, field) for field in changed if field != "tags"},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(_("Someone else saved this client after you opened it. Reload to see their changes."))
    if "tags" in changed:
        client.tags.set(_tags_named(tags_after))
        before["tags"] = ", ".join(tags_before)
        changed["tags"] = ", ".join(tags_after)
    changes_record(
        client=client, before={field: before[field] for field in changed}, after=changed, actor=actor
    )
    derived_refresh([client.pk])
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


def _reason_too_long() -> str:
    return _("Keep the reason within %(max)d characters.") % {"max": NAME_MAX}


@transaction.atomic
def client_handover(*, actor, client_ids, to_staff: Staff | None, reason: str, request=None) -> int:
    """Move clients to another account manager; the old owner loses them at once, history stays."""
    if not may_hand_over(actor):
        raise PermissionDenied(_("Only supervisors and heads hand clients over."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the clients are handed over.")})
    if len(reason) > NAME_MAX:
        raise ValidationError({"reason": _reason_too_long()})
    if to_staff is None or not Staff.objects.filter(staff_q(actor, for_write=True), pk=to_staff.pk).exists():
        raise ValidationError({"to_staff": _("This account manager is outside your organisation.")})
    if to_staff.status != Staff.Status.ACTIVE or "account_manager" not in to_staff.role_codes:
        raise ValidationError({"to_staff": _("Clients can only be handed to an active account manager.")})
    client_ids = set(client_ids)
    clients = list(
        Client.objects.select_for_update(of=("self",))
        .filter(client_q(actor, for_write=True), pk__in=client_ids)
        .select_related("owner")
    )
    if len(clients) != len(client_ids):
        raise Http404("No such client.")
    now = timezone.now()
    moving = [client for client in clients if client.owner_id != to_staff.pk]
    ids = [client.pk for client in moving]
    # Set-based: one UPDATE closes the old ownerships, one INSERT opens the new, one UPDATE moves.
    ClientOwnership.objects.filter(client_id__in=ids, ended_at__isnull=True).update(ended_at=now)
    ClientOwnership.objects.bulk_create(
        ClientOwnership(
            client=client,
            owner=to_staff,
            how=ClientOwnership.How.HANDOVER,
            started_at=now,
            reason=reason,
            handed_over_by=actor,
        )
        for client in moving
    )
    ClientChange.objects.bulk_create(
        ClientChange(
            client=client,
            field="owner",
            old_value=client.owner.employee_no,
            new_value=to_staff.employee_no,
            source=ClientChange.Source.HANDOVER,
            changed_by=actor,
            changed_at=now,
        )
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
    clients_handed_over.send(sender=Client, client_ids=ids, to_staff=to_staff, actor=actor, request=request)
    return len(moving)


def _tag_names(client: Client) -> list[str]:
    return sorted(client.tags.values_list("name", flat=True))


def _clean_tag_names(names) -> list[str]:
    return sorted({name.strip()[:TAG_MAX] for name in names if name.strip()})


def _tags_named(names) -> list[Tag]:
    names = set(_clean_tag_names(names))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    Tag.objects.bulk_create([Tag(name=name) for name in names - existing.keys()], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def client_reveal(*, actor, client_id, field: str, reason: str, request=None) -> str:
    """The unmasked value of one field of one client, for a permitted viewer, with the reason logged."""
    is_account = field.startswith(ACCOUNT_PREFIX) and field[len(ACCOUNT_PREFIX) :].isdigit()
    if field not in REVEALABLE and not is_account:
        raise ValidationError(
            {"field": _("Only the ID number, the mobile or an account number can be revealed.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason you need to see this.")})
    if len(reason) > NAME_MAX:
        raise ValidationError({"reason": _reason_too_long()})
    client = access_client(actor, client_id)
    if not may_see_personal_data(actor):
        raise PermissionDenied(_("Your role may not see clients' personal data."))
    if is_account:
        holding = Holding.objects.filter(client=client, pk=int(field[len(ACCOUNT_PREFIX) :])).first()
        if holding is None:
            raise Http404("No such holding.")
        value, kind = holding.account_no, "card"
    else:
        value, kind = getattr(client, field), REVEALABLE[field]
    audit_record(
        event=AuditEvent.PERSONAL_DATA_REVEALED,
        actor=actor,
        request=request,
        target=client,
        detail={"field": field, "reason": reason, "masked": mask(value, kind)},
    )
    return value
