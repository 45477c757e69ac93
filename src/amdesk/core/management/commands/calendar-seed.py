from django.core.management.base import BaseCommand

from amdesk.core.calendar import library_years
from amdesk.core.calendar_services import calendar_seed


class Command(BaseCommand):
    help = (
        "Copy the chinesecalendar library's official holidays and make-up working days into the "
        "working-day calendar (after upgrading the library). Years entered or imported in the admin "
        "are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", type=int, help="only these years (default: all the library knows)"
        )

    def handle(self, *args, years, **options):
        known = library_years()
        unknown = sorted(set(years) - known)
        if unknown:
            self.stderr.write(f"chinesecalendar 不含这些年份 does not know: {', '.join(map(str, unknown))}")
        added = calendar_seed(actor=None, years=years or None)
        self.stdout.write(
            f"chinesecalendar {min(known)}–{max(known)}: "
            + (
                ", ".join(f"{year} +{count}" for year, count in sorted(added.items()))
                or "已是最新 up to date"
            )
        )
