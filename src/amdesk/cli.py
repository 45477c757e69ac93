"""The `amdesk` console command: Django's management commands with AMDesk's settings.

`amdesk migrate`, `amdesk runserver`, `amdesk demo`, `amdesk check --deploy` …
DJANGO_SETTINGS_MODULE picks the settings (default: amdesk.settings.local).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amdesk.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amdesk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
