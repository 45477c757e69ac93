"""The service SLA sweep, for cron every few minutes (e.g. */5 * * * *):
warn account managers of ticket deadlines inside the warning window, escalate breached deadlines
to the supervisor (the leader of the ticket's node or the nearest ancestor with one).

    amdesk service-sla [--at 2026-11-23T10:00]

Idempotent: a warning or an escalation is raised once per deadline, so running it twice adds nothing.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amdesk.service.services import ticket_sla_sweep


class Command(BaseCommand):
    help = "Warn of ticket deadlines coming up and escalate breached ones to the supervisor."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this moment (ISO date-time, local time).")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["at"]:
            try:
                now = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError("--at must be a date-time like 2026-11-23T10:00.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = ticket_sla_sweep(now=now)
        self.stdout.write(f"{result.warnings} warnings, {result.escalations} escalations.")
