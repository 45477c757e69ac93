"""Changing the attachment settings row outside the admin (the admin audits its own saves the same way)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import AttachmentSettings

EDITABLE = [
    "max_upload_mb",
    "max_image_megapixels",
    "image_max_side",
    "jpeg_quality",
    "max_per_target",
    "retention_days",
]


@transaction.atomic
def attachment_settings_update(*, actor, data: dict, request=None) -> AttachmentSettings:
    if not (actor.is_superuser or actor.has_perm("attachments.change_attachmentsettings")):
        raise PermissionDenied(_("Only administrators change the attachment settings."))
    row = AttachmentSettings.current()
    changes = {}
    for name in EDITABLE:
        if name in data and getattr(row, name) != data[name]:
            changes[name] = [str(getattr(row, name)), str(data[name])]
            setattr(row, name, data[name])
    if not changes:
        return row
    row.full_clean()
    row.save()
    audit_record(
        event=AuditEvent.ATTACHMENT_SETTINGS_CHANGED, actor=actor, request=request, target=row, detail=changes
    )
    return row
