from django.core.management.base import BaseCommand

from amdesk.desk.services import desk_figures_refresh


class Command(BaseCommand):
    help = (
        "Recompute the desks' pre-aggregated figures (AUM month-ends, tier mix, client counts, visit "
        "compliance by week). With --every MINUTES: start the self-scheduling task instead (one chain "
        "at a time; `amdesk db_worker` runs it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="MINUTES")

    def handle(self, *args, every: int = 0, **options):
        if every > 0:
            from amdesk.desk.tasks import desk_refresh_task

            result = desk_refresh_task.enqueue(repeat_minutes=every)
            self.stdout.write(f"desk refresh task enqueued ({result.id}), every {every} minutes")
            return
        written = desk_figures_refresh()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in written.items()))
