"""`amdesk import-clients FILE --as USER`: the page's import, from the command line.

Exit codes: 0 every row imported (or, with --dry-run, every row valid), 1 rows rejected,
2 the file or the options are unusable.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from amdesk.clients.columns import BY_FIELD, header_key
from amdesk.clients.imports import services
from amdesk.clients.imports.reader import UnusableFile
from amdesk.orgs.models import Staff

EXIT_REJECTED, EXIT_UNUSABLE = 1, 2


class Command(BaseCommand):
    help = "Import clients from an .xlsx or .csv file, acting as the given user (his scope, his audit trail)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="the importing user's username")
        parser.add_argument(
            "--mapping",
            type=Path,
            help='a JSON file {"header in the file": "field"}; fields: ' + ", ".join(BY_FIELD),
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows, reject the others"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--errors-out", type=Path, help="write the report (.xlsx) of rejected rows here")

    def handle(self, *args, **options):
        try:
            actor = Staff.objects.get(username=options["username"], is_active=True)
        except Staff.DoesNotExist:
            self._unusable(_("There is no active user %(name)s.") % {"name": options["username"]})
        path: Path = options["file"]
        if not path.is_file():
            self._unusable(_("There is no file %(path)s.") % {"path": path})
        try:
            with open(path, "rb") as stream:
                job = services.import_upload(
                    actor=actor, upload=stream, file_name=path.name, skip_invalid=options["skip_invalid"]
                )
        except UnusableFile as exc:
            self._unusable(str(exc))
        if options["mapping"]:
            services.import_set_mapping(
                actor=actor,
                job=job,
                mapping=self._mapping(options["mapping"], job.headers, job.mapping),
                skip_invalid=options["skip_invalid"],
            )
        self.stderr.write(
            _("Header in row %(row)d; columns: %(columns)s")
            % {
                "row": job.header_row,
                "columns": ", ".join(
                    f"{h}→{f or '-'}" for h, f in zip(job.headers, job.mapping, strict=True)
                ),
            }
        )
        with tqdm(total=job.rows_total or None, unit=_("rows"), file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = max(total, done)
                bar.update(done - bar.n)

            job = services.import_check(job=job, progress=progress)
            if job.state == job.State.FAILED:
                self._unusable(job.message)
            if not options["dry_run"] and services.may_apply(job):
                job = services.import_apply(job=job, progress=progress)
        self._report(job, options)
        if job.rejected:
            sys.exit(EXIT_REJECTED)

    def _report(self, job, options) -> None:
        self.stdout.write(
            _(
                "%(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(rejected)d rejected"
            )
            % {
                "rows": job.rows_read,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
                "rejected": job.rejected,
            }
            + (
                " " + _("(dry run: nothing written)")
                if options["dry_run"] or job.state != job.State.DONE
                else ""
            )
        )
        for problem in job.problems.all()[:20]:
            self.stderr.write(f"{problem.row_no}\t{problem.column}\t{problem.message}")
        if job.rejected > 20:
            self.stderr.write(_("… and more: see the report."))
        if services.report_file(job) and options["errors_out"]:
            report = services.import_report_download(viewer=job.created_by, job=job, channel="cli")
            options["errors_out"].write_bytes(report.read_bytes())
            self.stderr.write(_("Report written to %(path)s") % {"path": options["errors_out"]})

    @staticmethod
    def _mapping(path: Path, headers: list[str], guessed: list[str]) -> list[str]:
        try:
            given = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("The mapping file is not JSON: %(error)s") % {"error": exc}, returncode=2
            ) from exc
        by_header = {header_key(header): index for index, header in enumerate(headers)}
        by_label = {header_key(column.header): field for field, column in BY_FIELD.items()}
        mapping = list(guessed)
        for header, field in given.items():
            index = by_header.get(header_key(header))
            if index is None:
                raise CommandError(_("The file has no column %(header)s.") % {"header": header}, returncode=2)
            field = field if field in BY_FIELD or not field else by_label.get(header_key(field))
            if field is None:
                raise CommandError(_("There is no field %(field)s.") % {"field": given[header]}, returncode=2)
            mapping[index] = field
        return mapping

    def _unusable(self, message: str):
        raise CommandError(message, returncode=EXIT_UNUSABLE)
