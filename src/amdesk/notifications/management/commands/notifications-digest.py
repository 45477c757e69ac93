"""The daily digest e-mail, for cron hourly (e.g. 5 * * * *): from the digest hour (admin settings)
on, each user with unread notifications of the last day gets one e-mail a day.

    amdesk notifications-digest [--at 2026-11-23T08:05] [--force]
"""

from django.core.management.base import BaseCommand

from amdesk.notifications.services.digest import notifications_digest

from ._common import moment


class Command(BaseCommand):
    help = "Send today's notification digests not sent yet."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this moment (ISO date-time, local time).")
        parser.add_argument("--force", action="store_true", help="Send even before the digest hour.")

    def handle(self, *args, **options):
        sent = notifications_digest(now=moment(options["at"]), force=options["force"])
        self.stdout.write(f"{sent} digests sent.")
