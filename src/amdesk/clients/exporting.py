"""Client export: the list a viewer sees, with the same filters, as an .xlsx or .csv file.

The page, the API and `amdesk export-clients` all call `clients_export()`, which takes the
queryset from `selectors.client_list` (the list page's scope, filters and sort), so a file
holds exactly the clients the screen lists, on every page of it. Identity numbers and
mobiles are masked as the screens mask them, whoever exports.

Headers and cell words come from columns.py (COLUMNS, then EXPORT_EXTRA), so an exported
file imports again.

Formula injection: a cell beginning with = + - @ tab or CR would run as a formula when a CSV
is opened in Excel. The .xlsx writer stores every text as a string cell (never a formula);
the CSV writer puts a single quote before such a cell, which Excel shows as text.
"""

import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import BinaryIO

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.masking import mask

from .columns import COLUMNS, EXPORT_EXTRA, TAG_SEPARATOR, Column
from .models import Client
from .selectors import ClientFilter, client_list

EXPORT_COLUMNS: tuple[Column, ...] = (*COLUMNS, *EXPORT_EXTRA)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8"}
CHUNK_ROWS = 2000  # rows fetched at a time (and the tags of each chunk in one query)
XLSX_MAX_ROWS = 1_048_576  # rows of one Excel sheet, the header included; more go on the next sheet
CSV_CHUNK_BYTES = 64 * 1024
# Excel takes a cell starting with one of these for a formula (tab and CR: after it trims them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MASKED = {"id_number": "id_number", "mobile": "mobile"}
# Column widths in characters (CJK characters count about two); others get DEFAULT_WIDTH.
WIDTHS = {
    "name": 24,
    "id_number": 22,
    "credit_code": 22,
    "mobile": 14,
    "address": 36,
    "remarks": 36,
    "org_node": 16,
    "aum": 18,
    "tags": 24,
}
DEFAULT_WIDTH = 12


# Rows


# Where a column's value is read, when not from the client field of its own name.
SOURCES = {
    "owner": "owner__employee_no",
    "owner_name": "owner__full_name",
    "org_node": "org_node__name",
    "vip_level": "vip_level__name",
    "tier": "tier__name",  # preset items by name: the import reads names back
    "grade": "grade__name",
}


def _cell(column: Column) -> Callable[[object], object]:
    """How one column's stored value becomes its cell."""
    field = column.field
    if field in MASKED:
        kind = MASKED[field]
        return lambda value: mask(value, kind)
    if column.kind == "choice":
        # The first word of a value is the one written, so the file imports again.
        first = {value: words[0] for value, words in column.words.items()}
        return lambda value: first.get(str(value).lower() if isinstance(value, bool) else str(value), "")
    if field in SOURCES:
        return lambda value: value or ""
    return lambda value: value


def _tags_of(client_ids: list[int]) -> dict[int, str]:
    """The tags of some clients, one query: client id -> names in alphabetical order."""
    names: dict[int, list[str]] = {}
    pairs = Client.tags.through.objects.filter(client_id__in=client_ids).values_list("client_id", "tag__name")
    for client_id, name in pairs:
        names.setdefault(client_id, []).append(name)
    return {client_id: TAG_SEPARATOR.join(sorted(tags)) for client_id, tags in names.items()}


def client_rows(queryset: QuerySet[Client], columns: tuple[Column, ...] = EXPORT_COLUMNS) -> Iterator[list]:
    """The header, then one list of cells per client: str, int, Decimal, date or None (empty).

    Plain values, not model instances: one joined query read in chunks (and one query for the
    tags of each chunk) is several times faster than building a client, his owner and his tags.
    """
    yield [column.header for column in columns]
    read = [SOURCES.get(column.field, column.field) for column in columns if column.field != "tags"]
    sources = list(dict.fromkeys(["id", *read]))
    position = {source: index for index, source in enumerate(sources)}
    cells = [
        (None, None)
        if column.field == "tags"
        else (position[SOURCES.get(column.field, column.field)], _cell(column))
        for column in columns
    ]
    with_tags = any(column.field == "tags" for column in columns)
    values = queryset.values_list(*sources).iterator(chunk_size=CHUNK_ROWS)
    while chunk := list(islice(values, CHUNK_ROWS)):
        tags = _tags_of([row[0] for row in chunk]) if with_tags else {}
        for row in chunk:
            yield [tags.get(row[0], "") if index is None else cell(row[index]) for index, cell in cells]


# Writers


def safe_sheet_name(name: str) -> str:
    # Excel refuses []:*?/\ in sheet names, an apostrophe at either end and more than 31 characters;
    # room is kept for " (2)".
    return re.sub(r"[\[\]:*?/\\]", "", name)[:24].strip("'") or "Sheet"


def write_xlsx(
    rows: Iterable[list], fileobj, *, sheet_name: str = "Sheet", widths: Iterable[int] = ()
) -> int:
    """Write the rows (the first is the header) as one workbook; return how many rows follow the header.

    constant_memory writes each row to a temporary file as it comes, so memory stays flat however
    long the list; a list longer than a sheet goes on into the next sheet, under the header again.
    """
    rows = iter(rows)
    header = next(rows)
    widths = list(widths)
    workbook = xlsxwriter.Workbook(
        fileobj,
        {
            "constant_memory": True,
            # Text stays text: "=1+2" or "+86…" are stored as strings, never as formulas or numbers.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_format = workbook.add_format({"num_format": "#,##0.00"})
    base = safe_sheet_name(sheet_name)
    sheets: list = []

    def add_sheet():
        sheet = workbook.add_worksheet(base if not sheets else f"{base} ({len(sheets) + 1})")
        sheets.append(sheet)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        for index, title in enumerate(header):
            sheet.write_string(0, index, str(title), bold)
        sheet.freeze_panes(1, 0)
        return sheet

    sheet = add_sheet()
    line = written = 0
    for row in rows:
        line += 1
        if line >= XLSX_MAX_ROWS:
            sheet.autofilter(0, 0, line - 1, len(header) - 1)
            sheet, line = add_sheet(), 1
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                # Line breaks as Excel makes them (LF): a CR would be stored as the escape "_x000D_".
                sheet.write_string(line, index, value.replace("\r\n", "\n").replace("\r", "\n"))
            elif isinstance(value, Decimal):
                sheet.write_number(line, index, float(value), money_format)
            elif isinstance(value, date):
                sheet.write_datetime(line, index, value, date_format)
            else:
                sheet.write_number(line, index, value)
        written += 1
    sheet.autofilter(0, 0, line, len(header) - 1)
    workbook.close()
    return written


def csv_cell(value) -> str:
    """A cell as CSV text; one that Excel would take for a formula gets a leading quote and stays text."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file for csv.writer that hands back what it is given, so each row becomes one string."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[list], *, chunk_bytes: int | None = None) -> Iterator[bytes]:
    """The rows as UTF-8 CSV with a BOM (Excel on Chinese Windows reads UTF-8 only after one), in chunks."""
    chunk_bytes = chunk_bytes or CSV_CHUNK_BYTES
    writer = csv.writer(_Line())  # "excel" dialect: CRLF line ends, quotes where needed
    buffer = ["\ufeff"]
    size = 0
    for row in rows:
        line = writer.writerow([csv_cell(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= chunk_bytes:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


# The service


def _recorded_filters(filters) -> dict:
    """The filters as the audit log keeps them: no search text, which may be a name or an ID number."""
    recorded = {}
    for name in ClientFilter.base_filters:
        value = filters.get(name) if filters is not None else None
        if name != "q" and value not in (None, ""):
            recorded[name] = str(value)
    return recorded


class ClientExport:
    """One export, ready to write: nothing is read until `write_to()` or `stream()` runs.

    The audit entry is written when the rows have been written, with the number written.
    Counting as the rows go out, rather than counting first, gives the number that really
    left (a COUNT beforehand is a second pass over a large list and may disagree with the
    rows read after it); for a streamed CSV the entry is therefore written when the stream
    ends: complete, or cut off (the client went away) as a failure with the rows written so far
    (at most one chunk more than reached the client).
    """

    def __init__(self, *, actor, queryset: QuerySet[Client], fmt: str, filters, channel: str, request):
        self.actor = actor
        self.queryset = queryset
        self.fmt = fmt
        self.channel = channel
        self.request = request
        self.filters = _recorded_filters(filters)
        self.searched = bool(filters and filters.get("q"))
        self.rows = 0
        self.filename = f"{pgettext('export file name', 'clients')}-{timezone.localdate():%Y%m%d}.{fmt}"
        self.content_type = FORMATS[fmt]

    def _counted(self) -> Iterator[list]:
        rows = client_rows(self.queryset)
        yield next(rows)
        for row in rows:
            self.rows += 1  # counted when handed to the writer: a cut-off stream had read it
            yield row

    @contextmanager
    def _audited(self):
        complete = False
        try:
            yield
            complete = True
        finally:
            audit_record(
                event=AuditEvent.CLIENTS_EXPORTED,
                actor=self.actor,
                request=self.request,
                result=AuditResult.SUCCESS if complete else AuditResult.FAILURE,
                detail={
                    "format": self.fmt,
                    "rows": self.rows,
                    "complete": complete,
                    "channel": self.channel,
                    "filters": self.filters,
                    "searched": self.searched,
                },
            )

    def stream(self) -> Iterator[bytes]:
        """The CSV file in chunks, read from the database as it is sent."""
        if self.fmt != "csv":
            raise ValueError("Only a CSV export streams; write an .xlsx with write_to().")
        with self._audited():
            yield from csv_chunks(self._counted())

    def write_to(self, fileobj: BinaryIO) -> int:
        """Write the whole file; return the number of clients in it."""
        if self.fmt == "csv":
            for chunk in self.stream():
                fileobj.write(chunk)
        else:
            with self._audited():
                write_xlsx(
                    self._counted(),
                    fileobj,
                    sheet_name=pgettext("sheet name", "Clients"),
                    widths=[WIDTHS.get(column.field, DEFAULT_WIDTH) for column in EXPORT_COLUMNS],
                )
        return self.rows


def clients_export(
    *,
    actor,
    filters,
    fmt: str,
    request=None,
    strict: bool = False,
    channel: str = "web",
    xlsx_limit: int | None = None,
) -> ClientExport:
    """Export the clients `actor` sees with the list's `filters` (its query parameters) as `fmt`.

    `strict` refuses invalid filters (the API and the command) instead of ignoring them as the
    page does; either way the file holds what the same list would show.
    """
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose xlsx or csv.")]}, code="invalid")
    queryset = client_list(viewer=actor, filters=filters, strict=strict)
    # An .xlsx is built whole before the first byte goes out (≈ 2,500 rows/s): past the limit a
    # request would time out. CSV streams at any size; the command has no limit.
    too_many = xlsx_limit is not None and queryset.order_by()[: xlsx_limit + 1].count() > xlsx_limit
    if fmt == "xlsx" and too_many:
        raise ValidationError(
            {
                "format": [
                    _(
                        "More than %(limit)d clients: an Excel file this large takes minutes to build. "
                        "Export CSV, narrow the filters, or ask an administrator to run export-clients."
                    )
                    % {"limit": xlsx_limit}
                ]
            },
            code="too_large",
        )
    return ClientExport(
        actor=actor, queryset=queryset, fmt=fmt, filters=filters, channel=channel, request=request
    )


def export_response(export: ClientExport) -> HttpResponseBase:
    """What the page and the API send: a streamed CSV, or the finished .xlsx from a temporary file."""
    if export.fmt == "csv":
        response = StreamingHttpResponse(export.stream(), content_type=export.content_type)
        response["Content-Disposition"] = content_disposition_header(True, export.filename)
    else:
        # An .xlsx is a zip that is only complete when closed, so it is written whole before sending;
        # the temporary file goes away when the response closes it.
        file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        try:
            export.write_to(file)
        except BaseException:
            file.close()
            raise
        file.seek(0)
        response = FileResponse(
            file, as_attachment=True, filename=export.filename, content_type=export.content_type
        )
    # Personal data: no browser or proxy cache keeps a copy.
    response["Cache-Control"] = "no-store"
    return response
