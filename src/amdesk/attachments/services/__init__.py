from .attachments import (
    attachment_delete,
    attachment_download,
    attachment_upload,
    attachments_purge,
)
from .settings import attachment_settings_update

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_settings_update",
    "attachment_upload",
    "attachments_purge",
]
