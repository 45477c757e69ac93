"""Purge deleted attachments past the retention period, for cron once a day (e.g. 30 3 * * *):

    amdesk attachments-purge [--at 2026-12-31T03:30]

The rows and the stored files go; the audit log keeps what each file was, who deleted it and why.
Idempotent: a second run finds nothing more to purge.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amdesk.attachments.services import attachments_purge


class Command(BaseCommand):
    help = "Remove for good the attachments deleted longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this moment (ISO date-time, local time).")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["at"]:
            try:
                now = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError("--at must be a date-time like 2026-12-31T03:30.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        purged = attachments_purge(now=now)
        self.stdout.write(f"{purged} deleted attachments purged.")
