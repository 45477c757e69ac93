from .attachment import Attachment, AttachmentCategory, AttachmentSettings, TargetKind

__all__ = ["Attachment", "AttachmentCategory", "AttachmentSettings", "TargetKind"]
