"""The notification sweep, for cron every few minutes (e.g. */5 * * * *): SLA warnings and
escalations, documents due, overdue visits, follow-ups due, returned documents, handovers received.

    amdesk notifications-sweep [--at 2026-11-23T10:00]

Idempotent: each notification exists once per user, kind and key, so running it twice adds nothing.
"""

from django.core.management.base import BaseCommand

from amdesk.notifications.producers import notifications_sweep

from ._common import moment


class Command(BaseCommand):
    help = "Create the notifications that are due (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this moment (ISO date-time, local time).")

    def handle(self, *args, **options):
        created = notifications_sweep(now=moment(options["at"]))
        details = ", ".join(f"{kind} {n}" for kind, n in created.items())
        self.stdout.write(f"{sum(created.values())} notifications created ({details}).")
