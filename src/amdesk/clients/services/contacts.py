"""Contacts and stakeholders of a client; every change refreshes the big-account flag."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from amdesk.clients import identity
from amdesk.clients.models import Client, Contact
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import check_client_write

from .archive import StaleEdit
from .derived import derived_refresh

CONTACT_FIELDS = [
    "name",
    "role",
    "is_decision_maker",
    "influence",
    "stance",
    "vested_interests",
    "mobile",
    "last_contact_on",
    "remarks",
]


def _stale() -> StaleEdit:
    return StaleEdit(_("Someone else saved this contact after you opened it. Reload to see their changes."))


def _audit(actor, request, client, contact, action):
    audit_record(
        event=AuditEvent.CLIENT_CONTACT_CHANGED,
        actor=actor,
        request=request,
        target=client,
        detail={"contact": contact.pk, "action": action},
    )


@transaction.atomic
def contact_save(
    *, actor, client: Client, data: dict, contact: Contact | None = None, expected_version=None, request=None
) -> Contact:
    """Add a contact to a client, or change one; a change based on an old version is refused."""
    check_client_write(actor, client)
    is_new = contact is None
    contact = contact or Contact(client=client)
    if contact.client_id != client.pk:
        raise ValidationError(_("This contact belongs to another client."))
    for field, value in data.items():
        if field in CONTACT_FIELDS:
            setattr(contact, field, value)
    errors = {}
    if contact.mobile:
        try:
            contact.mobile = identity.parse_mobile(contact.mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    try:
        contact.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:  # every invalid field at once
        raise ValidationError(errors)
    if is_new:
        contact.save()
    else:
        if expected_version is not None and int(expected_version) != contact.version:
            raise _stale()
        updated = Contact.objects.filter(pk=contact.pk, version=contact.version).update(
            **{field: getattr(contact, field) for field in CONTACT_FIELDS}, version=F("version") + 1
        )
        if not updated:
            raise _stale()
        contact.refresh_from_db()
    derived_refresh([client.pk])
    _audit(actor, request, client, contact, "added" if is_new else "changed")
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact, expected_version=None, request=None) -> None:
    """Remove a contact; with `expected_version`, only if nobody changed it since it was read."""
    client = contact.client
    check_client_write(actor, client)
    deleting = Contact.objects.filter(pk=contact.pk)
    if expected_version is not None:
        deleting = deleting.filter(version=int(expected_version))
    if not deleting.delete()[0]:
        raise _stale()
    _audit(actor, request, client, contact, "removed")
    derived_refresh([client.pk])
