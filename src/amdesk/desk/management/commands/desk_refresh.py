from django.core.management.base import BaseCommand

from amdesk.desk.services import desk_figures_refresh


class Command(BaseCommand):
    help = "Recompute the desks' pre-aggregated figures (AUM month-ends, tier mix, visit compliance by week)."

    def handle(self, *args, **options):
        written = desk_figures_refresh()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in written.items()))
