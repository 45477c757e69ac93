"""Opening an uploaded client list: checks before opening, rows as a stream, the header row found.

Nothing here holds the whole file: xlsx is read with openpyxl's read-only (streaming) mode, CSV
with the csv module over a decoding stream. openpyxl parses the sheet XML with defusedxml when
it is installed (it is a dependency), which refuses entity expansion ("billion laughs").
"""

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from amdesk.clients.columns import HEADER_INDEX, IGNORED_HEADERS, header_key

log = logging.getLogger(__name__)
HEADER_SEARCH_ROWS = 20  # title rows above the header: a handful at most, in real files
PREVIEW_ROWS = 10
_SNIFF_BYTES = 64 * 1024


class UnusableFile(Exception):
    """The file cannot be read as a client list; the message says why, in the user's language."""


def check_upload(path: Path, file_name: str) -> str:
    """The file's format ("xlsx" or "csv") once it passed the checks made before opening it."""
    size = path.stat().st_size
    if size == 0:
        raise UnusableFile(_("The file is empty."))
    if size > settings.AMDESK_IMPORT_MAX_BYTES:
        raise UnusableFile(
            _("The file is %(size)d MB; at most %(limit)d MB can be imported at once. Split it into parts.")
            % {"size": -(-size // 2**20), "limit": settings.AMDESK_IMPORT_MAX_BYTES // 2**20}
        )
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise UnusableFile(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx and import that.")
        )
    if suffix == ".xlsx":
        _check_zip(path)
        return "xlsx"
    if suffix in (".csv", ".txt"):
        if zipfile.is_zipfile(path):
            raise UnusableFile(_("This file is an Excel workbook named .csv: rename it to .xlsx."))
        return "csv"
    raise UnusableFile(_("Only .xlsx and .csv files can be imported."))


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise UnusableFile(_("This is not a real .xlsx file (an .xlsx file is a zip archive)."))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnusableFile(_("The .xlsx file is damaged: %(error)s") % {"error": exc}) from exc
    if len(entries) > settings.AMDESK_IMPORT_MAX_ZIP_ENTRIES:
        raise UnusableFile(
            _("The .xlsx file holds %(count)d parts; a client list has far fewer. It was not opened.")
            % {"count": len(entries)}
        )
    # The sizes come from the zip's directory; zipfile also stops reading an entry that
    # decompresses to more than its directory says, so a lying directory gains nothing.
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > settings.AMDESK_IMPORT_MAX_UNZIPPED_BYTES:
        raise UnusableFile(
            _("The .xlsx file unpacks to %(size)d MB, more than the %(limit)d MB allowed. It was not opened.")
            % {"size": unzipped // 2**20, "limit": settings.AMDESK_IMPORT_MAX_UNZIPPED_BYTES // 2**20}
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise UnusableFile(_("This zip archive is not an Excel workbook."))


@dataclass
class Sheet:
    """The rows of a file, numbered as Excel or a text editor shows them (from 1)."""

    path: Path
    file_format: str
    encoding: str = ""
    sheet_name: str = ""
    estimate: int = 0  # rows, from the sheet's dimension or the file size
    _workbook: object = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list]]:
        if self.file_format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def _xlsx_rows(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _unreadable(exc) from exc
        self._workbook = workbook
        sheet = next((ws for ws in workbook.worksheets if ws.sheet_state == "visible"), None)
        if sheet is None:
            raise UnusableFile(_("The workbook has no visible sheet."))
        self.sheet_name = sheet.title
        self.estimate = sheet.max_row or 0
        # Some writers store a wrong dimension (A1:A1); read-only mode would stop there.
        sheet.reset_dimensions()
        try:
            # The sheet's XML is parsed while rows are read: damage or a refused XML construct
            # (defusedxml) shows up here, not when the workbook opens.
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except UnusableFile:
            raise
        except Exception as exc:
            raise _unreadable(exc) from exc
        finally:
            self.close()

    def _csv_rows(self):
        with open(self.path, "rb") as raw:
            sample = raw.read(_SNIFF_BYTES)
        dialect = _dialect(sample.decode(self.encoding, errors="ignore"))
        with open(self.path, encoding=self.encoding, newline="") as text:
            yield from enumerate(csv.reader(text, dialect), start=1)


def _unreadable(exc: Exception) -> UnusableFile:
    # The library's message may name the server's path; the user gets a fixed one, the log the rest.
    log.warning("unreadable import workbook: %r", exc)
    return UnusableFile(
        _("The .xlsx file is damaged or not a plain workbook: open it in Excel and save it again.")
    )


def open_sheet(path: Path, file_format: str) -> Sheet:
    if file_format == "xlsx":
        return Sheet(path, "xlsx")
    encoding = detect_encoding(path)
    sheet = Sheet(path, "csv", encoding=encoding)
    with open(path, "rb") as raw:
        sample = raw.read(_SNIFF_BYTES)
    lines = max(1, sample.count(b"\n"))
    sheet.estimate = int(path.stat().st_size / max(1, len(sample)) * lines)
    return sheet


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as UTF-8, else GB18030 (a superset of GBK).

    The whole file is checked, in chunks: a list typed in UTF-8 whose first rows are plain ASCII
    may still hold GBK further down, and the other way round.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as raw:
        start = raw.read(3)
        raw.seek(0)
        try:
            while chunk := raw.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig" if start == codecs.BOM_UTF8 else "utf-8"
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder("gb18030")()
    with open(path, "rb") as raw:
        try:
            while chunk := raw.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise UnusableFile(
                _('The text file is neither UTF-8 nor GBK: save it from Excel as "CSV UTF-8".')
            ) from exc
    return "gb18030"


def _dialect(sample: str):
    # Whole lines only: a line cut in the middle can make the sniffer guess a wrong delimiter.
    lines = sample[:8192].rsplit("\n", 1)[0] if "\n" in sample[:8192] else sample[:8192]
    try:
        return csv.Sniffer().sniff(lines, ",\t;|")
    except csv.Error:
        return csv.excel


@dataclass
class Header:
    row_no: int
    texts: list[str]
    mapping: list[str]  # per column: the field it fills, or ""

    @property
    def known(self) -> int:
        return sum(1 for field_name in self.mapping if field_name)


def header_text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def guess_mapping(texts: list[str]) -> list[str]:
    """Each header's field from the synonyms; a field taken by an earlier column is not given twice."""
    taken: set[str] = set()
    mapping = []
    for text in texts:
        key = header_key(text) if text else ""
        field_name = HEADER_INDEX.get(key, "") if key and text not in IGNORED_HEADERS else ""
        if field_name in taken:
            field_name = ""
        taken.add(field_name)
        mapping.append(field_name)
    return mapping


def find_header(first_rows: list[tuple[int, list]]) -> Header:
    """The row among the first ones whose cells name the most known columns (title rows skipped).

    When no row names a known column, the first row with two or more filled cells is taken as the
    header and the user maps its columns by hand.
    """
    best: Header | None = None
    for row_no, values in first_rows[:HEADER_SEARCH_ROWS]:
        texts = [header_text(value) for value in values]
        header = Header(row_no, texts, guess_mapping(texts))
        if header.known and (best is None or header.known > best.known):
            best = header
    if best is None:
        for row_no, values in first_rows[:HEADER_SEARCH_ROWS]:
            texts = [header_text(value) for value in values]
            if sum(1 for text in texts if text) >= 2:
                best = Header(row_no, texts, [""] * len(texts))
                break
    if best is None:
        raise UnusableFile(
            _("No header row was found in the first %(rows)d rows.") % {"rows": HEADER_SEARCH_ROWS}
        )
    # Trailing empty header cells (Excel's formatting past the last column) are not columns.
    while best.texts and not best.texts[-1]:
        best.texts.pop()
        best.mapping.pop()
    return best


def read_start(sheet: Sheet, rows: int = HEADER_SEARCH_ROWS + PREVIEW_ROWS) -> list[tuple[int, list]]:
    start = []
    for item in sheet.rows():
        start.append(item)
        if len(start) >= rows:
            break
    sheet.close()
    return start


def as_text(value) -> str:
    """A cell as the user typed it, for previews and the error report."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text.replace("T", " ")
    return str(value)


def stream_copy(upload, destination: Path) -> str:
    """Copy an uploaded file to `destination` in chunks; returns its SHA-256."""
    import hashlib

    digest = hashlib.sha256()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as out:
        chunks = (
            upload.chunks()
            if hasattr(upload, "chunks")
            else iter(lambda: upload.read(io.DEFAULT_BUFFER_SIZE), b"")
        )
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()
