"""`amdesk purge-imports`: delete the staged rows and files of imports past their retention period.

Run it daily from cron (see the README); `AMDESK_IMPORT_RETENTION_DAYS` (7) says how long an
import's file, report and staged rows are kept after it ended or was left unfinished.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from amdesk.clients.imports.services import imports_purge


class Command(BaseCommand):
    help = "Delete the staged rows, uploaded files and reports of imports past their retention period."

    def handle(self, *args, **options):
        purged = imports_purge()
        self.stdout.write(_("%(count)d imports purged.") % {"count": purged})
