"""Weekly visit housekeeping, for cron at the end of each week (e.g. Friday 18:00):
propose next week's visit schedule for every active account manager who has none yet, and
schedule the post-loan inspections that are due.

    amdesk visit-weekly [--week 2026-11-30]

Account managers who open a week with no schedule get one proposed on the spot as well, so a
missed run only means the proposal is made later.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amdesk.orgs.models import Staff
from amdesk.visits.models import VisitSchedule
from amdesk.visits.services import inspections_schedule, schedule_propose, week_of


class Command(BaseCommand):
    help = "Propose next week's visit schedules and schedule due post-loan inspections."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="Any day of the week to propose (default: next week).")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            week = (
                week_of(date.fromisoformat(options["week"]))
                if options["week"]
                else week_of(today) + timedelta(7)
            )
        except ValueError:
            raise CommandError("--week must be a date like 2026-11-30.") from None
        managers = Staff.objects.filter(
            roles__code="account_manager", status=Staff.Status.ACTIVE, is_active=True
        )
        have = set(VisitSchedule.objects.filter(week_start=week).values_list("owner_id", flat=True))
        proposed = 0
        for manager in managers.exclude(pk__in=have).distinct().order_by("pk"):
            schedule_propose(owner=manager, week_start=week, today=today)
            proposed += 1
        inspections = inspections_schedule(today=today)
        self.stdout.write(
            f"Week of {week.isoformat()}: {proposed} schedules proposed ({len(have)} existed); "
            f"{inspections} post-loan inspections scheduled."
        )
