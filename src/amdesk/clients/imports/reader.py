"""Opening an uploaded client list: checks before opening, rows as a stream, the header row found.

Nothing here holds the whole file: xlsx is read with openpyxl's read-only (streaming) mode, CSV
with the csv module over a decoding stream. openpyxl parses the sheet XML with defusedxml when
it is installed (it is a dependency), which refuses entity expansion ("billion laughs").
"""

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amdesk.clients.columns import BY_FIELD, EXPORT_ONLY_HEADERS, HEADER_INDEX, IGNORED_HEADERS, header_key

from . import bounds
from .cleaning import Choices

log = logging.getLogger(__name__)
HEADER_SEARCH_ROWS = 20  # title rows above the header: a handful at most, in real files
PREVIEW_ROWS = 10
SAMPLE_ROWS = 50  # data rows read with the header: the preview, and the values that decide a column
_SNIFF_BYTES = 64 * 1024


class UnusableFile(Exception):
    """The file cannot be read as a client list; the message says why, in the user's language."""


def check_upload(path: Path, file_name: str) -> str:
    """The file's format ("xlsx" or "csv") once it passed the checks made before opening it."""
    file_format = check_name(path, file_name)
    check_content(path, file_format)
    return file_format


def check_name(path: Path, file_name: str) -> str:
    """The format from the size and the name alone: what the web request checks (it reads nothing)."""
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
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise UnusableFile(_("Only .xlsx and .csv files can be imported."))


def check_content(path: Path, file_format: str) -> None:
    """The checks that read the file (the zip's directory, then every sheet as it inflates): the worker's."""
    if file_format == "xlsx":
        _check_zip(path)
    elif zipfile.is_zipfile(path):
        raise UnusableFile(_("This file is an Excel workbook named .csv: rename it to .xlsx."))


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
    try:
        with zipfile.ZipFile(path) as archive:
            bounds.check_parts(archive)
            bounds.scan_parts(archive)
    except bounds.Refused as exc:
        raise UnusableFile(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # a damaged deflate stream
        raise _unreadable(exc) from exc


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
        try:
            workbook = bounds.load_bounded_workbook(self.path)
        except bounds.Refused as exc:
            raise UnusableFile(str(exc)) from exc
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
            longest = settings.AMDESK_IMPORT_MAX_CELL_CHARS
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if any(isinstance(value, str) and len(value) > longest for value in values):
                    raise bounds.too_long_cell()
                yield number, list(values)
        except UnusableFile:
            raise
        except bounds.Refused as exc:
            raise UnusableFile(str(exc)) from exc
        except Exception as exc:
            raise _unreadable(exc) from exc
        finally:
            self.close()

    def _csv_rows(self):
        with open(self.path, "rb") as raw:
            sample = raw.read(_SNIFF_BYTES)
        dialect = _dialect(sample.decode(self.encoding, errors="ignore"))
        longest = settings.AMDESK_IMPORT_MAX_CELL_CHARS
        with open(self.path, encoding=self.encoding, newline="") as text:
            try:
                for number, values in enumerate(csv.reader(_bounded_lines(text), dialect), start=1):
                    if any(len(value) > longest for value in values):
                        raise bounds.too_long_cell()
                    yield number, values
            except bounds.Refused as exc:
                raise UnusableFile(str(exc)) from exc
            except csv.Error as exc:  # a quoted field past the csv module's own limit
                raise UnusableFile(str(bounds.too_long_cell())) from exc


def _bounded_lines(text) -> Iterator[str]:
    """The lines of a text file, none longer than a row may be (a file without line breaks is one line)."""
    limit = settings.AMDESK_IMPORT_MAX_ROW_BYTES
    while line := text.readline(limit + 1):
        if len(line) > limit:
            raise bounds.row_too_long()
        yield line


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
    reasons: list[dict] = field(default_factory=list)  # per column: Match.as_dict(), why

    @property
    def known(self) -> int:
        return sum(1 for field_name in self.mapping if field_name)


def header_text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


# Headers the source documents use for more than one field: the column's values decide.
# (客户类型 is 个人/企业 in one form and 准客户/已成交客户/影响力中心 in another.)
ALSO_MEANS: dict[str, tuple[str, ...]] = {
    header_key("客户类型"): ("kind", "lifecycle"),
    header_key("客户类别"): ("kind", "lifecycle"),
    header_key("类型"): ("kind", "lifecycle"),
    header_key("客户性质"): ("lifecycle", "kind"),
    header_key("客户状态"): ("lifecycle", "kind"),
}
# Words that make a header about someone other than the client (a synonym inside it is not enough).
OTHER_PERSON = ("联系人", "经理", "法人", "代表人", "配偶", "紧急", "介绍人", "推荐人", "员工")
# A share of the column's filled sample cells that must be words of a field for the values to decide.
VALUES_DECIDE = 0.6
# Qualifiers people add to a header: (必填), 【选填】, [身份证], <元> …, after header_key's half-width.
_BRACKETED = re.compile(r"\([^)]*\)|【[^】]*】|\[[^\]]*\]|<[^>]*>|《[^》]*》|〔[^〕]*〕")
_SEPARATORS = re.compile(r"[/|、,;]|或")
# Synonyms by length, longest first: "客户经理工号" is found before "工号" inside a longer header.
_BY_LENGTH = sorted(HEADER_INDEX.items(), key=lambda item: -len(item[0]))


@dataclass(frozen=True)
class Match:
    """Which field a column fills and why: its header is a synonym, contains one, or its values decide."""

    field: str = ""
    how: str = ""  # exact | contains | values | "" (not recognised)
    synonym: str = ""  # the synonym found in the header
    matched: int = 0  # values: how many of the sampled cells are words of the field
    of: int = 0  # values: how many sampled cells are filled

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "how": self.how,
            "synonym": self.synonym,
            "matched": self.matched,
            "of": self.of,
        }


def match_header(text: str) -> Match:
    """The field a header names: exactly a synonym, or a synonym with qualifiers, brackets or alternatives."""
    key = header_key(text) if text else ""
    if not key or text in IGNORED_HEADERS:
        return Match()
    if key in HEADER_INDEX:
        return Match(HEADER_INDEX[key], "exact", text)
    if key in EXPORT_ONLY_HEADERS:  # an export's own columns (资产规模日期…) are not read back
        return Match()
    # Without what is in brackets, then each alternative of "手机号码/联系电话": the first that is a synonym.
    plain = _BRACKETED.sub("", key)
    for part in (plain, *_SEPARATORS.split(plain), *_SEPARATORS.split(key)):
        if part and part in HEADER_INDEX:
            return Match(HEADER_INDEX[part], "contains", part)
    # The longest synonym the header contains; a header that contains synonyms of two fields
    # equally long ("姓名电话") is not guessed.
    found = [
        (synonym, field_name) for synonym, field_name in _BY_LENGTH if len(synonym) >= 2 and synonym in plain
    ]
    if not found:
        return Match()
    # "紧急联系人电话" or "客户经理姓名" name another person's phone or name, not the client's.
    found = [
        (synonym, field_name)
        for synonym, field_name in found
        if not any(word in plain and word not in synonym for word in OTHER_PERSON)
    ]
    if not found:
        return Match()
    longest = len(found[0][0])
    fields = {field_name for synonym, field_name in found if len(synonym) == longest}
    if len(fields) > 1:
        return Match()
    return Match(found[0][1], "contains", found[0][0])


def _choices() -> dict[str, Choices]:
    return {column.field: Choices(column.words) for column in BY_FIELD.values() if column.words}


def _word_counts(values: list, choices: dict[str, Choices]) -> tuple[dict[str, int], int]:
    """For each choice field, how many filled cells are its words; and how many cells are filled."""
    filled = [value for value in values if value not in (None, "") and str(value).strip()]
    counts = dict.fromkeys(choices, 0)
    for value in filled:
        for field_name, choice in choices.items():
            try:
                if choice(value):
                    counts[field_name] += 1
            except ValidationError:
                pass
    return counts, len(filled)


def guess_columns(texts: list[str], samples: list[list] | None = None) -> list[Match]:
    """Each column's field and why: from its header, and for choice columns from its sampled values.

    A header that could mean several fields (ALSO_MEANS) takes the one whose words fill most of
    its cells; a choice or reference column whose cells are mostly a choice field's words (a
    客户级别 column holding 准客户/已成交客户) takes that field. A field taken by an earlier column is not
    given twice.
    """
    samples = samples or []
    choices = _choices()
    taken: set[str] = set()
    matches = []
    for index, text in enumerate(texts):
        match = match_header(text)
        candidates = ALSO_MEANS.get(header_key(text) if text else "", ())
        # Choice and reference columns (tier, grade: the preset's words) may hold another field's words.
        worded = match.field in choices or (
            match.field in BY_FIELD and BY_FIELD[match.field].kind == "reference"
        )
        if (worded or candidates) and samples:
            counts, filled = _word_counts(
                [row[index] if index < len(row) else None for row in samples], choices
            )
            pool = [name for name in candidates if name in choices] or list(choices)
            best = max(pool, key=lambda name: (counts[name], name == match.field))
            decided = filled and counts[best] >= VALUES_DECIDE * filled
            if decided and (
                candidates or (best != match.field and counts[best] > counts.get(match.field, 0))
            ):
                match = Match(best, "values", match.synonym or text, counts[best], filled)
        if match.field in taken:
            match = Match()
        taken.add(match.field)
        matches.append(match)
    return matches


def guess_mapping(texts: list[str], samples: list[list] | None = None) -> list[str]:
    """Each header's field (see guess_columns)."""
    return [match.field for match in guess_columns(texts, samples)]


def find_header(first_rows: list[tuple[int, list]]) -> Header:
    """The row among the first ones whose cells name the most known columns (title rows skipped).

    When no row names a known column, the first row with two or more filled cells is taken as the
    header and the user maps its columns by hand. The rows below the header (as many as were
    read) decide the columns whose header could mean several fields.
    """
    best: Header | None = None
    for position, (row_no, values) in enumerate(first_rows[:HEADER_SEARCH_ROWS]):
        texts = [header_text(value) for value in values]
        samples = [row for _, row in first_rows[position + 1 :]]
        matches = guess_columns(texts, samples)
        header = Header(row_no, texts, [m.field for m in matches], [m.as_dict() for m in matches])
        if header.known and (best is None or header.known > best.known):
            best = header
    if best is None:
        for row_no, values in first_rows[:HEADER_SEARCH_ROWS]:
            texts = [header_text(value) for value in values]
            if sum(1 for text in texts if text) >= 2:
                best = Header(row_no, texts, [""] * len(texts), [Match().as_dict() for _ in texts])
                break
    if best is None:
        raise UnusableFile(
            _("No header row was found in the first %(rows)d rows.") % {"rows": HEADER_SEARCH_ROWS}
        )
    # Trailing empty header cells (Excel's formatting past the last column) are not columns.
    while best.texts and not best.texts[-1]:
        best.texts.pop()
        best.mapping.pop()
        best.reasons.pop()
    return best


def describe_match(reason: dict) -> str:
    """Why a column was mapped, in the viewer's language, for the mapping page and the API."""
    how = reason.get("how", "")
    if how == "exact":
        return _("its header is a known name of this field")
    if how == "contains":
        return _("its header contains “%(synonym)s”") % {"synonym": reason.get("synonym", "")}
    if how == "values":
        column = BY_FIELD.get(reason.get("field", ""))
        return _("decided by the values: %(matched)d of %(of)d are %(field)s words") % {
            "matched": reason.get("matched", 0),
            "of": reason.get("of", 0),
            "field": column.header if column else "",
        }
    return _("not recognised: choose the field by hand")


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
