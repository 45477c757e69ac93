"""`amdesk export-clients --as USERNAME --out FILE.xlsx|FILE.csv [--filter KEY=VALUE ...]`.

The same file as the list page's export button: the user's scope, the page's filters (its query
parameters: q, kind, lifecycle, tier, grade, vip_level, owner, org, tag, sort…), masked, audited.
The module's name has a hyphen: Django names a command after its module file and imports it by
that name (importlib takes any name), so `amdesk export-clients` works as the issue spells it.
"""

import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amdesk.clients.exporting import FORMATS, clients_export
from amdesk.clients.selectors import ClientFilter


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Export the clients a user sees, filtered as on the client list page, to an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="whose clients: the export holds what this user's list shows, and the audit log names him",
        )
        parser.add_argument("--out", required=True, type=Path, help="the file to write, ending .xlsx or .csv")
        parser.add_argument(
            "--filter",
            dest="filters",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help=f"a filter of the list page, repeatable, e.g. --filter tier=key --filter q=张; "
            f"keys: {', '.join(ClientFilter.base_filters)}",
        )

    def handle(self, *args, username: str, out: Path, filters: list[str], **options):
        fmt = out.suffix.lower().removeprefix(".")
        if fmt not in FORMATS:
            raise CommandError(_("The output file must end in .xlsx or .csv."))
        if not out.parent.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": out.parent})
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("User %(username)s is not active.") % {"username": username})
        query = QueryDict(mutable=True)
        for item in filters:
            key, equals, value = item.partition("=")
            if not equals or key.strip() not in ClientFilter.base_filters:
                raise CommandError(
                    _("Unknown filter %(filter)s; use KEY=VALUE with a key of: %(keys)s")
                    % {"filter": item, "keys": ", ".join(ClientFilter.base_filters)}
                )
            query.appendlist(key.strip(), value.strip())
        try:
            export = clients_export(actor=user, filters=query, fmt=fmt, strict=True, channel="cli")
        except ValidationError as exc:
            raise CommandError(_errors(exc)) from exc
        # Written beside the target and renamed when complete, so a failed run leaves no half file.
        with tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.", delete=False) as part:
            try:
                rows = export.write_to(part)
            except BaseException:
                part.close()
                os.unlink(part.name)
                raise
        os.replace(part.name, out)
        message = ngettext(
            "Exported %(count)d client to %(path)s", "Exported %(count)d clients to %(path)s", rows
        ) % {"count": rows, "path": out.resolve()}
        self.stdout.write(message)
