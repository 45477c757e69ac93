"""Contacts and stakeholders of a client; every change refreshes the big-account flag."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from amdesk.clients import identity
from amdesk.clients.models import Client, Contact
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

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
    is_new = contact is None
    contact = contact or Contact(client=client)
    if contact.client_id != client.pk:
        raise ValidationError(_("This contact belongs to another client."))
    for field, value in data.items():
        if field in CONTACT_FIELDS:
            setattr(contact, field, value)
    if contact.mobile:
        try:
            contact.mobile = identity.parse_mobile(contact.mobile)
        except ValidationError as exc:
            raise ValidationError({"mobile": exc.messages}) from exc
    contact.full_clean()
    if is_new:
        contact.save()
    else:
        if expected_version is not None and int(expected_version) != contact.version:
            raise StaleEdit(
                _("Someone else saved this contact after you opened it. Reload to see their changes.")
            )
        updated = Contact.objects.filter(pk=contact.pk, version=contact.version).update(
            **{field: getattr(contact, field) for field in CONTACT_FIELDS}, version=F("version") + 1
        )
        if not updated:
            raise StaleEdit(
                _("Someone else saved this contact after you opened it. Reload to see their changes.")
            )
        contact.refresh_from_db()
    derived_refresh([client.pk])
    _audit(actor, request, client, contact, "added" if is_new else "changed")
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact, request=None) -> None:
    client = contact.client
    _audit(actor, request, client, contact, "removed")
    contact.delete()
    derived_refresh([client.pk])
