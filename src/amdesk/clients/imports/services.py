"""Client import, step by step: upload → mapping → check (stage and find problems) → import.

The page runs `import_check` and `import_apply` as background jobs (tasks.py); the CLI runs them
in its own process. Both call these services, so both behave the same.

All or nothing by default: when a row is rejected nothing is written, and the report holds every
row of the file with a reason column, so the corrected report imports again. With `skip_invalid`
the valid rows are imported and the report holds only the rejected ones.
"""

import json
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.columns import BY_FIELD, REPORT_REASON_HEADER, REPORT_ROW_HEADER
from amdesk.clients.completeness import completeness_refresh
from amdesk.clients.models import ImportJob, ImportProblem, ImportRow
from amdesk.clients.services.derived import stakeholder_refresh
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.masking import mask
from amdesk.core.rows import RowWriter
from amdesk.orgs.access import scope_of, staff_q
from amdesk.orgs.models import Role, Staff

from . import merge
from .checker import STAGED_FIELDS, RowChecker
from .reader import (
    HEADER_SEARCH_ROWS,
    PREVIEW_ROWS,
    SAMPLE_ROWS,
    UnusableFile,
    as_text,
    check_content,
    check_name,
    find_header,
    open_sheet,
    read_start,
    stream_copy,
)

BATCH = 5000
OPENING = "opening"  # the phase of a job whose file the worker has not opened yet
PREVIEW_FILE = "preview.json"
MASKED_REPORT = "report-masked.xlsx"
# The report's columns masked for anyone but the importer: field -> masking kind (core.masking).
MASKED_FIELDS = {"id_number": "id_number", "mobile": "mobile"}
State = ImportJob.State
Progress = Callable[[int, int], None]


def job_dir(job: ImportJob) -> Path:
    if not job.file_path:  # purged: the folder is gone, and "" must never mean the whole import dir
        raise ValueError(f"import {job.pk} has no folder")
    return settings.AMDESK_IMPORT_DIR / Path(job.file_path).parent


def _source(job: ImportJob) -> Path:
    return settings.AMDESK_IMPORT_DIR / job.file_path


def access_import(viewer, job_id) -> ImportJob:
    """A job of this viewer's own: imports hold personal data of clients being brought in."""
    job = ImportJob.objects.filter(pk=job_id, created_by=viewer).first()
    if job is None:
        raise Http404("No such import.")
    return job


def import_receive(
    *, actor, upload, file_name: str, skip_invalid: bool = False, language: str = ""
) -> ImportJob:
    """Store the file and check what its size and name tell; the worker opens it (`import_open`).

    Nothing of the file is parsed here: the page and the API call this inside the web request,
    and a crafted file must not cost the web process memory. Raises UnusableFile (nothing is
    kept) for a file refused by its size or name alone.
    """
    name = Path(file_name).name[:200] or "clients"
    folder = secrets.token_hex(8)
    suffix = Path(name).suffix.lower()
    path = settings.AMDESK_IMPORT_DIR / folder / f"source{suffix}"
    digest = stream_copy(upload, path)
    try:
        file_format = check_name(path, name)
    except UnusableFile as exc:
        _refused(actor, name, digest, exc)
        _remove(path.parent)
        raise
    return ImportJob.objects.create(
        created_by=actor,
        file_name=name,
        file_path=f"{folder}/{path.name}",
        file_size=path.stat().st_size,
        file_sha256=digest,
        file_format=file_format,
        skip_invalid=skip_invalid,
        language=language,
        state=State.CHECKING,
        phase=OPENING,
    )


def import_open(*, job: ImportJob) -> ImportJob:
    """Check the file within the bounds (bounds.py), find its header row and guess the mapping.

    The worker's step (and the command's): the page shows it as running until it ends. A file
    that cannot be a client list leaves a failed job with the reason, and is deleted.
    """
    path = _source(job)
    try:
        check_content(path, job.file_format)
        sheet = open_sheet(path, job.file_format)
        start = read_start(sheet, HEADER_SEARCH_ROWS + SAMPLE_ROWS)
        header = find_header(start)
    except UnusableFile as exc:
        _refused(job.created_by, job.file_name, job.file_sha256, exc)
        _remove(path.parent)
        job.state, job.phase, job.message, job.finished_at = State.FAILED, "", str(exc), timezone.now()
        job.save(update_fields=["state", "phase", "message", "finished_at"])
        return job
    preview = [
        (row_no, [as_text(value) for value in values])
        for row_no, values in start
        if row_no > header.row_no and any(value not in (None, "") for value in values)
    ]
    (job_dir(job) / PREVIEW_FILE).write_text(
        json.dumps({"rows": preview[:PREVIEW_ROWS], "reasons": header.reasons}, ensure_ascii=False),
        encoding="utf-8",
    )
    job.encoding, job.sheet = sheet.encoding, sheet.sheet_name
    job.header_row, job.headers, job.mapping = header.row_no, header.texts, header.mapping
    job.rows_total = max(0, sheet.estimate - header.row_no)
    job.state, job.phase = State.UPLOADED, ""
    job.save(
        update_fields=[
            "encoding",
            "sheet",
            "header_row",
            "headers",
            "mapping",
            "rows_total",
            "state",
            "phase",
        ]
    )
    return job


def import_upload(
    *, actor, upload, file_name: str, skip_invalid: bool = False, language: str = ""
) -> ImportJob:
    """Store and open the file in this process (the command, the demo): `import_receive` + `import_open`.

    Raises UnusableFile (nothing is kept) when the file cannot be a client list.
    """
    job = import_receive(
        actor=actor, upload=upload, file_name=file_name, skip_invalid=skip_invalid, language=language
    )
    job = import_open(job=job)
    if job.state == State.FAILED:
        message = job.message
        job.delete()
        raise UnusableFile(message)
    return job


def _refused(actor, name: str, digest: str, exc: Exception) -> None:
    audit_record(
        event=AuditEvent.CLIENTS_IMPORTED,
        actor=actor,
        result=AuditResult.FAILURE,
        detail={"file": name, "sha256": digest, "reason": str(exc)},
    )


def import_preview(job: ImportJob) -> list[tuple[int, list[str]]]:
    """The first data rows below the header, as text, for the mapping page (kept when the file was opened)."""
    return [(row_no, cells) for row_no, cells in _preview(job).get("rows", [])]


def import_mapping_reasons(job: ImportJob) -> list[dict]:
    """Per column, why it was mapped as it was (reader.Match.as_dict), from when the file was opened."""
    return _preview(job).get("reasons", [])


def _preview(job: ImportJob) -> dict:
    try:
        return json.loads((job_dir(job) / PREVIEW_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def import_set_mapping(*, actor, job: ImportJob, mapping: list[str], skip_invalid: bool) -> ImportJob:
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.state not in (State.UPLOADED, State.CHECKED, State.REJECTED):
        raise ValidationError(_("This import is running or finished; upload the file again to change it."))
    mapping = [field if field in BY_FIELD else "" for field in mapping[: len(job.headers)]]
    mapping += [""] * (len(job.headers) - len(mapping))
    chosen = [field for field in mapping if field]
    twice = sorted({BY_FIELD[field].header for field in chosen if chosen.count(field) > 1})
    if twice:
        raise ValidationError(
            _("Each field can come from one column only: %(fields)s.") % {"fields": "、".join(twice)}
        )
    if not chosen:
        raise ValidationError(_("Choose which field at least one column fills."))
    job.mapping, job.skip_invalid, job.state = mapping, skip_invalid, State.UPLOADED
    job.save(update_fields=["mapping", "skip_invalid", "state"])
    return job


def _data_rows(job: ImportJob) -> Iterator[tuple[int, list]]:
    sheet = open_sheet(_source(job), job.file_format)
    for row_no, values in sheet.rows():
        if row_no > job.header_row:
            yield row_no, values


def _save_progress(job: ImportJob, progress: Progress | None, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    if progress:
        progress(job.rows_done, job.rows_total)


def import_check(*, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Read every row into the staging table, check it alone and against the file and the archive."""
    actor = job.created_by
    ImportRow.objects.filter(job=job).delete()
    ImportProblem.objects.filter(job=job).delete()
    _save_progress(job, progress, state=State.CHECKING, phase="reading", rows_done=0, message="")
    checker = RowChecker(actor=actor, headers=job.headers, mapping=job.mapping)
    writer = RowWriter()
    rows = _data_rows(job)
    done = 0
    try:
        while batch := list(islice(rows, BATCH)):
            staged, problems = [], []
            for row_no, values in batch:
                row, found = checker.check(row_no, values)
                if row is None:
                    continue
                staged.append((job.pk, *row))
                problems += [
                    ImportProblem(job=job, row_no=row_no, column=c, message=m[:300]) for c, m in found
                ]
            done += len(staged)
            if done > settings.AMDESK_IMPORT_MAX_ROWS:
                raise UnusableFile(
                    _("The file has more than %(limit)d rows; split it into parts.")
                    % {"limit": settings.AMDESK_IMPORT_MAX_ROWS}
                )
            with transaction.atomic():
                writer.write(ImportRow, ("job_id", *STAGED_FIELDS), staged)
                ImportProblem.objects.bulk_create(problems)
            _save_progress(job, progress, rows_done=done, rows_total=max(job.rows_total, done))
    except UnusableFile as exc:
        return _fail(job, str(exc))
    if not done:
        return _fail(job, _("The file has a header but no rows of data."))
    _save_progress(job, progress, phase="checking", rows_read=done, rows_total=done)
    merge.analyze_staging()
    headers = {field: job.headers[index] for index, field in enumerate(job.mapping) if field}
    with transaction.atomic():
        merge.check_in_file(job, headers)
        merge.check_against_archive(job, actor, headers)
        job.archive_mark = merge.archive_mark()
    job = _checked(job)
    if job.state == State.REJECTED:
        _audit(job)  # an import that ends here is in the log as much as one that writes
    return job


def _checked(job: ImportJob) -> ImportJob:
    found = merge.counts(job)
    job.created, job.updated, job.unchanged, job.rejected = (
        found["create"],
        found["update"],
        found["same"],
        found["reject"],
    )
    job.state = State.REJECTED if job.rejected and not job.skip_invalid else State.CHECKED
    job.phase = ""
    if job.rejected:
        job.report_path = _write_report(job)
    job.save()
    return job


def import_apply(*, job: ImportJob, progress: Progress | None = None, request=None) -> ImportJob:
    """Write the checked rows to the archive in one transaction, checking against it once more."""
    actor = job.created_by
    if not may_apply(job) and job.state != State.IMPORTING:
        raise ValidationError(_("Only a checked import can be imported."))
    _save_progress(job, progress, state=State.IMPORTING, phase="writing")
    with transaction.atomic():
        # The archive may have changed since the check (another import, a new client, a
        # handover): then every row is looked up again, inside this transaction.
        if merge.archive_mark() != job.archive_mark:
            ImportRow.objects.filter(job=job).exclude(action="reject").update(action="")
            headers = {field: job.headers[index] for index, field in enumerate(job.mapping) if field}
            merge.check_against_archive(job, actor, headers)
        found = merge.counts(job)
        if not found["reject"] or job.skip_invalid:
            now = timezone.now()
            merge.merge(job, actor, now)
            touched = merge.touched(job)
            completeness_refresh(touched)
            stakeholder_refresh(touched)
            job.created, job.updated, job.unchanged, job.rejected = (
                found["create"],
                found["update"],
                found["same"],
                found["reject"],
            )
            job.state, job.phase, job.finished_at = State.DONE, "", now
            job.rows_done = job.rows_total
            if job.rejected:
                job.report_path = _write_report(job)
            job.save()
            _audit(job, request)
            merge.drop_staged(job)
    if job.state != State.DONE:
        job = _checked(job)
        _audit(job, request)
        return job
    _source(job).unlink(missing_ok=True)
    merge.analyze_archive(job.created)
    return job


def may_apply(job: ImportJob) -> bool:
    return job.state == State.CHECKED or (job.state == State.REJECTED and job.skip_invalid)


def _audit(job: ImportJob, request=None) -> None:
    audit_record(
        event=AuditEvent.CLIENTS_IMPORTED,
        actor=job.created_by,
        request=request,
        result=AuditResult.SUCCESS if job.state == State.DONE else AuditResult.FAILURE,
        detail={
            "import": job.pk,
            "file": job.file_name,
            "sha256": job.file_sha256,
            "rows": job.rows_read,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
            "mode": "skip_invalid" if job.skip_invalid else "all_or_nothing",
            "state": job.state,
        },
    )


def _fail(job: ImportJob, message: str) -> ImportJob:
    ImportRow.objects.filter(job=job).delete()
    job.state, job.phase, job.message, job.finished_at = State.FAILED, "", message, timezone.now()
    job.save()
    _audit(job)
    return job


def _write_report(job: ImportJob) -> str:
    """The rows with their reasons, as .xlsx: every row (all or nothing) or the rejected ones.

    Two files in one pass: the importer's (his cells as he uploaded them, so the corrected
    report imports again) and a masked one for anyone else allowed to download it
    (`import_report_download`): ID numbers and mobiles masked as the screens mask them, and the
    columns the import leaves out left empty.
    """
    path = job_dir(job) / "report.xlsx"
    masking = {
        index: MASKED_FIELDS[field] for index, field in enumerate(job.mapping) if field in MASKED_FIELDS
    }
    full, masked = _ReportBook(job, path), _ReportBook(job, path.with_name(MASKED_REPORT))
    rows = ImportRow.objects.filter(job=job).order_by("row_no")
    if job.skip_invalid:
        rows = rows.filter(action="reject")
    problems = (
        ImportProblem.objects.filter(job=job)
        .order_by("row_no", "id")
        .values_list("row_no", "column", "message")
    )
    reasons = _reasons_by_row(problems.iterator(chunk_size=BATCH))
    pending = next(reasons, None)
    width = len(job.headers)
    for row_no, raw in rows.values_list("row_no", "raw").iterator(chunk_size=BATCH):
        while pending is not None and pending[0] < row_no:
            pending = next(reasons, None)
        reason = pending[1] if pending is not None and pending[0] == row_no else ""
        cells = json.loads(raw)[:width]
        full.write(cells, row_no, reason)
        masked.write(
            [_masked_cell(cell, index, job.mapping, masking) for index, cell in enumerate(cells)],
            row_no,
            reason,
        )
    full.close()
    masked.close()
    return str(path.relative_to(settings.AMDESK_IMPORT_DIR))


def _masked_cell(cell, index: int, mapping: list[str], masking: dict[int, str]):
    """A cell as the masked report shows it. A column the import leaves out (unmapped: an ID column
    the importer chose not to bring in, a header not recognised) is left empty: it never reached the
    archive, so nobody but the importer reads it, and it may hold anything (ID numbers included)."""
    if index >= len(mapping) or not mapping[index]:
        return None
    return mask(cell, masking[index]) if index in masking else cell


class _ReportBook:
    def __init__(self, job: ImportJob, path: Path):
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.sheet = self.workbook.add_worksheet(_("Import report")[:31])
        bold = self.workbook.add_format({"bold": True})
        self.red = self.workbook.add_format({"font_color": "#b00020"})
        text = self.workbook.add_format({"num_format": "@"})
        self.width = len(job.headers)
        self.sheet.set_column(0, self.width - 1, 16, text)
        self.sheet.set_column(self.width + 1, self.width + 1, 60)
        self.sheet.write_row(0, 0, [*job.headers, REPORT_ROW_HEADER, REPORT_REASON_HEADER], bold)
        self.sheet.freeze_panes(1, 0)
        self.line = 1

    def write(self, cells: list, row_no: int, reason: str) -> None:
        self.sheet.write_row(self.line, 0, cells)
        self.sheet.write_number(self.line, self.width, row_no)
        if reason:
            self.sheet.write_string(self.line, self.width + 1, reason, self.red)
        self.line += 1

    def close(self) -> None:
        self.workbook.close()


def _reasons_by_row(problems) -> Iterator[tuple[int, str]]:
    current, texts = None, []
    for row_no, column, message in problems:
        if row_no != current and texts:
            yield current, "；".join(texts)
            texts = []
        current = row_no
        texts.append(f"{column}：{message}" if column else message)
    if texts:
        yield current, "；".join(texts)


def report_file(job: ImportJob, *, masked: bool = False) -> Path | None:
    if not job.report_path:
        return None
    path = settings.AMDESK_IMPORT_DIR / job.report_path
    if masked:
        path = path.with_name(MASKED_REPORT)
    return path if path.exists() else None


def access_import_report(viewer, job_id) -> ImportJob:
    """A job whose report the viewer may download: his own, or one of a person he oversees.

    Overseers (a supervisor of the importer's team, a head, an administrator) get the masked
    report (`import_report_download`); "not found" for both missing and forbidden.
    """
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None:
        raise Http404("No such import.")
    if job.created_by_id == viewer.pk:
        return job
    oversees = (
        scope_of(viewer).kind != Role.Scope.OWN
        and Staff.objects.filter(staff_q(viewer), pk=job.created_by_id).exists()
    )
    if not oversees:
        raise Http404("No such import.")
    return job


def report_shows_uploaded_values(viewer, job: ImportJob) -> bool:
    """Only the importer gets the cells as he uploaded them; everyone else the masked report.

    The report holds what one person typed, not the archive's values in someone's scope: a
    role that may reveal clients' personal data does so client by client, with a reason
    (client_reveal), and does not get another person's upload in clear.
    """
    return job.created_by_id == viewer.pk


def import_report_download(*, viewer, job: ImportJob, request=None, channel: str = "web") -> Path:
    """The report file this viewer gets, with the download in the audit log; Http404 without one."""
    full = report_shows_uploaded_values(viewer, job)
    path = report_file(job, masked=not full)
    if path is None:
        raise Http404("No report.")
    audit_record(
        event=AuditEvent.CLIENTS_EXPORTED,
        actor=viewer,
        request=request,
        detail={
            "what": "import_report",
            "import": job.pk,
            "file": job.file_name,
            "importer": job.created_by.get_username(),
            "rows": job.rejected if job.skip_invalid else job.rows_read,
            "masked": not full,
            "channel": channel,
        },
    )
    return path


def imports_purge(*, now=None) -> int:
    """Delete the staged rows and stored files of imports that ended (or were left) long enough ago.

    A job is kept `AMDESK_IMPORT_RETENTION_DAYS` after it finished, or after its upload when it
    never finished (left at the mapping, checked or rejected and not imported). Its counts and
    problems stay for the history; a job left unfinished is marked failed, as its file is gone.
    Returns how many jobs were purged. Run daily: `amdesk purge-imports` (cron).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AMDESK_IMPORT_RETENTION_DAYS)
    ended = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    purged = 0
    for job in ImportJob.objects.filter(ended).exclude(file_path="").iterator():
        with transaction.atomic():
            ImportRow.objects.filter(job=job).delete()
            folder = job_dir(job)
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            job.file_path, job.report_path = "", ""
            fields = ["file_path", "report_path"]
            if job.state not in (State.DONE, State.FAILED):
                job.state, job.phase, job.finished_at = State.FAILED, "", now
                job.message = _(
                    "This import was left unfinished for more than %(days)d days: its file was deleted. "
                    "Upload the file again."
                ) % {"days": settings.AMDESK_IMPORT_RETENTION_DAYS}
                fields += ["state", "phase", "finished_at", "message"]
            job.save(update_fields=fields)
        purged += 1
    return purged


def _remove(folder: Path) -> None:
    for child in folder.glob("*"):
        child.unlink(missing_ok=True)
    folder.rmdir()
