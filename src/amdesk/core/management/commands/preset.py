from django.core.management.base import BaseCommand

from amdesk.presets import available_presets, preset_apply


class Command(BaseCommand):
    help = "Apply an industry preset: org level names, roles, ladder grades, product lines, client grades."

    def add_arguments(self, parser):
        parser.add_argument("industry", choices=available_presets())

    def handle(self, *args, industry, **options):
        preset = preset_apply(actor=None, code=industry)
        self.stdout.write(f"已应用行业预置 Applied preset: {preset['name']} ({industry})")
