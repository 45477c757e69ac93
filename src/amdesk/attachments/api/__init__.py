from .attachments import AttachmentDetailApi, AttachmentDownloadApi, AttachmentListApi

__all__ = ["AttachmentDetailApi", "AttachmentDownloadApi", "AttachmentListApi"]
