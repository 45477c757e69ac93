"""Writes of the attachments capability: upload, soft delete, the audited download, the purge."""

import hashlib
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult

from ..models import Attachment, AttachmentCategory, AttachmentSettings
from ..selectors.attachments import attachments_of
from ..selectors.targets import Target, may_delete, may_download, may_write
from .content import check_upload


def storage():
    return storages["attachments"]


def _detail(attachment: Attachment) -> dict:
    return {
        "target": attachment.target_kind,
        "target_id": attachment.target_id,
        "client_id": attachment.client_id,
        "category": attachment.category.code,
        "personal_data": attachment.category.personal_data,
        "name": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def attachment_upload(
    *,
    actor,
    target: Target,
    upload,
    category: AttachmentCategory | str,
    note: str = "",
    request=None,
    at=None,
) -> Attachment:
    """Check the file by its content, re-encode images without metadata, store it and record it.

    `target` is resolved for the actor (resolve_target); the actor needs write access to it.
    `at` (default now): the upload time, for the demo builder only."""
    if not may_write(actor, target):
        raise PermissionDenied(_("You may not add files here."))
    if isinstance(category, str):
        category = AttachmentCategory.objects.filter(code=category, is_active=True).first()
        if category is None:
            raise ValidationError({"category": [_("Choose a category.")]})
    elif not category.is_active:
        raise ValidationError({"category": [_("Choose a category.")]})
    settings = AttachmentSettings.current()
    if attachments_of(target).count() >= settings.max_per_target:
        raise ValidationError(
            {
                "file": [
                    _("There are already %(n)s files here, the most allowed.")
                    % {"n": settings.max_per_target}
                ]
            }
        )
    checked = check_upload(
        upload,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        max_pixels=settings.max_image_megapixels * 1_000_000,
        max_side=settings.image_max_side,
        jpeg_quality=settings.jpeg_quality,
    )
    now = at or timezone.now()
    # A generated key: nothing the user typed reaches the storage path.
    key = f"{target.kind}/{now:%Y/%m}/{uuid.uuid4().hex}{checked.kind.extension}"
    attachment = Attachment(
        **target.fk(),
        category=category,
        storage_key=key,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        width=checked.width,
        height=checked.height,
        note=(note or "").strip(),
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.full_clean(exclude=["storage_key"])
    stored = storage().save(key, ContentFile(checked.data))
    attachment.storage_key = stored
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                event=AuditEvent.ATTACHMENT_UPLOADED,
                actor=actor,
                request=request,
                target=attachment,
                detail=_detail(attachment),
            )
    except BaseException:
        storage().delete(stored)  # no row, no file
        raise
    return attachment


@transaction.atomic
def attachment_delete(
    *, actor, attachment: Attachment, target: Target, reason: str, request=None
) -> Attachment:
    """Soft delete with a reason: the file leaves every list and download at once and is purged
    after the retention period (attachments_purge)."""
    if not may_delete(actor, attachment, target):
        raise PermissionDenied(_("Only the uploader or a supervisor may delete this file."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the file is deleted.")]})
    if len(reason) > 200:
        raise ValidationError({"reason": [_("At most 200 characters.")]})
    attachment.deleted_at = timezone.now()
    attachment.deleted_by = actor
    attachment.delete_reason = reason
    attachment.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
    audit_record(
        event=AuditEvent.ATTACHMENT_DELETED,
        actor=actor,
        request=request,
        target=attachment,
        detail={**_detail(attachment), "reason": reason},
    )
    return attachment


def attachment_download(*, actor, attachment: Attachment, target: Target, request=None):
    """Open the stored file for the actor, with an audit entry either way.

    A personal-data file (ID copy) refused to a viewer who sees the target but is not entitled is
    recorded as denied and raises PermissionDenied."""
    detail = _detail(attachment)
    if not may_download(actor, attachment, target):
        audit_record(
            event=AuditEvent.ATTACHMENT_DOWNLOADED,
            actor=actor,
            request=request,
            target=attachment,
            result=AuditResult.DENIED,
            detail=detail,
        )
        raise PermissionDenied(
            _("Only staff entitled to see personal data or the client's owner may open this file.")
        )
    handle = storage().open(attachment.storage_key, "rb")
    audit_record(
        event=AuditEvent.ATTACHMENT_DOWNLOADED, actor=actor, request=request, target=attachment, detail=detail
    )
    return handle


def attachments_purge(*, now=None) -> int:
    """Remove for good the files deleted longer ago than the retention period (rows and stored
    files; the audit log keeps what they were). For cron, daily. Returns how many went."""
    now = now or timezone.now()
    settings = AttachmentSettings.current()
    cutoff = now - timedelta(days=settings.retention_days)
    purged = 0
    for attachment in Attachment.objects.filter(deleted_at__lt=cutoff).select_related("category").iterator():
        with transaction.atomic():
            audit_record(
                event=AuditEvent.ATTACHMENT_PURGED,
                target=attachment,
                detail={**_detail(attachment), "deleted_at": attachment.deleted_at.isoformat()},
            )
            attachment.delete()  # the receiver removes the stored file after the commit
        purged += 1
    return purged
