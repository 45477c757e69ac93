"""Survey round housekeeping, for cron once a day (e.g. 01:00):
prepare the next round as a draft when the settings name a questionnaire (the round surveying the
current period, by the settings' cadence, opening on the first day of the next one; idempotent),
open draft rounds whose opening day has come, and close open rounds past their closing day
(unanswered invitations and their links expire; account managers below the satisfaction
threshold get an improvement action).

    amdesk survey-rounds [--today 2026-12-31]
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from amdesk.surveys.models import SurveyRound
from amdesk.surveys.services import survey_rounds_run


class Command(BaseCommand):
    help = "Prepare the next survey round, open rounds that are due and close those that have ended."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (default: today).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today must be a date like 2026-12-31.") from None
        result = survey_rounds_run(today=today)
        names = dict(
            SurveyRound.objects.filter(
                pk__in=[pk for pk, _n in result.opened + result.closed] + result.prepared
            ).values_list("pk", "name")
        )
        for pk in result.prepared:
            self.stdout.write(f"Prepared {names[pk]} (draft).")
        for pk, invitations in result.opened:
            self.stdout.write(f"Opened {names[pk]}: {invitations} invitations.")
        for pk, actions in result.closed:
            self.stdout.write(f"Closed {names[pk]}: {actions} improvement actions.")
        self.stdout.write(f"{len(result.opened)} rounds opened, {len(result.closed)} closed.")
