"""Scoped reads of attachments: a target's files, one file by id (through its target's gate)."""

from django.db.models import QuerySet
from django.http import Http404

from ..models import Attachment
from .targets import Target, may_delete, may_download, may_write, resolve_target


def attachments_of(target: Target) -> QuerySet:
    """The live (not deleted) files of a target the caller has already resolved for the viewer."""
    return (
        Attachment.objects.filter(deleted_at__isnull=True, **target.fk())
        .select_related("category", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def access_attachment(viewer, attachment_id) -> tuple[Attachment, Target]:
    """One live attachment whose target the viewer may see; Http404 for missing, deleted and forbidden."""
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        raise Http404("No such attachment.") from None
    if not 0 < attachment_id < 2**63:
        raise Http404("No such attachment.")
    attachment = (
        Attachment.objects.filter(pk=attachment_id, deleted_at__isnull=True)
        .select_related("category", "uploaded_by")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment.")
    target = resolve_target(viewer, attachment.target_kind, attachment.target_id)
    return attachment, target


def panel_rows(viewer, target: Target) -> list[dict]:
    """The target's files with what the viewer may do with each (for the panel and the API), in a
    fixed number of queries whatever the number of files."""
    writable = may_write(viewer, target)
    return [
        {
            "attachment": attachment,
            "may_download": may_download(viewer, attachment, target),
            "may_delete": may_delete(viewer, attachment, target, writable=writable),
        }
        for attachment in attachments_of(target)
    ]
