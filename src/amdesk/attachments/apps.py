from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "amdesk.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Attachment
        from .receivers import file_follows_row

        # A client (or visit, ticket, inspection) deleted takes its attachment rows with it by
        # cascade; the stored files must not outlive them.
        post_delete.connect(file_follows_row, sender=Attachment, dispatch_uid="attachments.file_follows_row")
