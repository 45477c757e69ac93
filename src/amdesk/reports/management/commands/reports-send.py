"""Scheduled reports by e-mail, for cron (e.g. every 15 minutes: */15 * * * *):

    amdesk reports-send [--at 2026-12-01T08:30]

Idempotent: each recipient gets each period's report once; running it again sends only what
failed before."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amdesk.reports.services import schedules_send_due


class Command(BaseCommand):
    help = "Send the scheduled reports whose day and time have come (each period once)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this moment (ISO date-time, local time).")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["at"]:
            try:
                now = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError("--at must be a date-time like 2026-12-01T08:30.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = schedules_send_due(now=now)
        self.stdout.write(
            f"{len(result.sent)} schedules sent, {result.messages} messages, "
            f"{result.skipped} recipients skipped, {result.failed} failed (retried next run)."
        )
