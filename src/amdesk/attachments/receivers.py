"""The stored file follows its row: when a row goes (purge, or a cascade from its client), the file
is removed from storage once the transaction commits (never before: a rollback keeps both)."""

from django.core.files.storage import storages
from django.db import transaction


def file_follows_row(sender, instance, **kwargs):
    key = instance.storage_key
    transaction.on_commit(lambda: storages["attachments"].delete(key))
