"""Client import, step by step: upload → mapping → check (stage and find problems) → import.

The page runs `import_check` and `import_apply` as background jobs (tasks.py); the CLI runs them
in its own process. Both call these services, so both behave the same.

All or nothing by default: when a row is rejected nothing is written, and the report holds every
row of the file with a reason column, so the corrected report imports again. With `skip_invalid`
the valid rows are imported and the report holds only the rejected ones.
"""

import json
import secrets
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.columns import BY_FIELD, REPORT_REASON_HEADER, REPORT_ROW_HEADER
from amdesk.clients.completeness import completeness_refresh
from amdesk.clients.models import ImportJob, ImportProblem, ImportRow
from amdesk.clients.services.derived import stakeholder_refresh
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.rows import RowWriter

from . import merge
from .checker import STAGED_FIELDS, RowChecker
from .reader import (
    PREVIEW_ROWS,
    UnusableFile,
    as_text,
    check_upload,
    find_header,
    open_sheet,
    read_start,
    stream_copy,
)

BATCH = 5000
State = ImportJob.State
Progress = Callable[[int, int], None]


def job_dir(job: ImportJob) -> Path:
    return settings.AMDESK_IMPORT_DIR / Path(job.file_path).parent


def _source(job: ImportJob) -> Path:
    return settings.AMDESK_IMPORT_DIR / job.file_path


def access_import(viewer, job_id) -> ImportJob:
    """A job of this viewer's own: imports hold personal data of clients being brought in."""
    job = ImportJob.objects.filter(pk=job_id, created_by=viewer).first()
    if job is None:
        raise Http404("No such import.")
    return job


def import_upload(
    *, actor, upload, file_name: str, skip_invalid: bool = False, language: str = ""
) -> ImportJob:
    """Store the file, check it before opening, find its header row and guess the column mapping.

    Raises UnusableFile (nothing is kept) when the file cannot be a client list.
    """
    name = Path(file_name).name[:200] or "clients"
    folder = secrets.token_hex(8)
    suffix = Path(name).suffix.lower()
    path = settings.AMDESK_IMPORT_DIR / folder / f"source{suffix}"
    digest = stream_copy(upload, path)
    try:
        file_format = check_upload(path, name)
        sheet = open_sheet(path, file_format)
        header = find_header(read_start(sheet))
    except UnusableFile as exc:
        audit_record(
            event=AuditEvent.CLIENTS_IMPORTED,
            actor=actor,
            result=AuditResult.FAILURE,
            detail={"file": name, "sha256": digest, "reason": str(exc)},
        )
        _remove(path.parent)
        raise
    return ImportJob.objects.create(
        created_by=actor,
        file_name=name,
        file_path=f"{folder}/{path.name}",
        file_size=path.stat().st_size,
        file_sha256=digest,
        file_format=file_format,
        encoding=sheet.encoding,
        sheet=sheet.sheet_name,
        header_row=header.row_no,
        headers=header.texts,
        mapping=header.mapping,
        skip_invalid=skip_invalid,
        language=language,
        rows_total=max(0, sheet.estimate - header.row_no),
    )


def import_preview(job: ImportJob) -> list[tuple[int, list[str]]]:
    """The first data rows below the header, as text, for the mapping page."""
    sheet = open_sheet(_source(job), job.file_format)
    rows = [
        (row_no, [as_text(value) for value in values])
        for row_no, values in read_start(sheet, job.header_row + PREVIEW_ROWS * 3)
        if row_no > job.header_row and any(value not in (None, "") for value in values)
    ]
    return rows[:PREVIEW_ROWS]


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
    """The rows with their reasons, as .xlsx: every row (all or nothing) or the rejected ones."""
    import xlsxwriter

    path = job_dir(job) / "report.xlsx"
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(_("Import report")[:31])
    bold = workbook.add_format({"bold": True})
    red = workbook.add_format({"font_color": "#b00020"})
    text = workbook.add_format({"num_format": "@"})
    width = len(job.headers)
    sheet.set_column(0, width - 1, 16, text)
    sheet.set_column(width + 1, width + 1, 60)
    sheet.write_row(0, 0, [*job.headers, REPORT_ROW_HEADER, REPORT_REASON_HEADER], bold)
    sheet.freeze_panes(1, 0)
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
    line = 1
    for row_no, raw in rows.values_list("row_no", "raw").iterator(chunk_size=BATCH):
        while pending is not None and pending[0] < row_no:
            pending = next(reasons, None)
        reason = pending[1] if pending is not None and pending[0] == row_no else ""
        cells = json.loads(raw)[:width]
        sheet.write_row(line, 0, cells)
        sheet.write_number(line, width, row_no)
        if reason:
            sheet.write_string(line, width + 1, reason, red)
        line += 1
    workbook.close()
    return str(path.relative_to(settings.AMDESK_IMPORT_DIR))


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


def report_file(job: ImportJob) -> Path | None:
    if not job.report_path:
        return None
    path = settings.AMDESK_IMPORT_DIR / job.report_path
    return path if path.exists() else None


def _remove(folder: Path) -> None:
    for child in folder.glob("*"):
        child.unlink(missing_ok=True)
    folder.rmdir()
