from .attachments import access_attachment, attachments_of, panel_rows
from .targets import Target, may_delete, may_download, may_write, resolve_target

__all__ = [
    "Target",
    "access_attachment",
    "attachments_of",
    "may_delete",
    "may_download",
    "may_write",
    "panel_rows",
    "resolve_target",
]
