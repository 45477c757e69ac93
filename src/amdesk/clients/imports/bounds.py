"""Bounds an .xlsx must keep before and while it is parsed, so reading it takes bounded memory.

An .xlsx is a zip of XML parts. Three kinds of file exhaust a parser that trusts them:

- a part that inflates far beyond its packed size (a "zip bomb": a run of repeated bytes
  compresses about a thousand to one). Refused from the zip's directory before anything is
  inflated, by the packed/unpacked ratio of each part (`AMDESK_IMPORT_MAX_ZIP_RATIO`; Apache
  POI refuses above 100 by default and real workbooks stay far below);
- a sheet that is large but compresses normally, with one giant cell or one row of millions of
  cells: an XML parser holds a whole text, a whole tag and a whole row in memory. Refused by
  scanning the part's bytes as they inflate (C speed, a chunk at a time), before the parser
  sees it: no stretch without markup longer than a cell may be, no row longer than
  `AMDESK_IMPORT_MAX_ROW_KB`, no more than a few MB outside the rows;
- a shared-strings table of millions of entries, which openpyxl keeps as one Python string per
  entry (about 190 bytes each: five million took 930 MB). Bounded in count and size
  (`AMDESK_IMPORT_MAX_SHARED_STRINGS`, `AMDESK_IMPORT_MAX_SHARED_STRINGS_MB`) and read into one
  packed buffer instead (`PackedStrings`: the UTF-8 bytes plus a 4-byte offset per entry).

Every refusal is a message for the user, with no row number: the file as a whole is refused.
"""

import re
import zipfile
from array import array

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, iterparse

# Parts that are not sheets or the shared strings (styles, workbook, relationships, theme) are
# small in any real workbook; openpyxl parses some of them whole.
OTHER_PART_LIMIT = 16 * 2**20
# All the other parts together (styles, workbook, properties, chartsheets and their drawings…):
# openpyxl parses those whole into objects, about 40 bytes of memory per byte of tiny elements
# (15 MB of styles took the worker 750 MB, 4 MB about 300 MB). Real workbooks keep them under a
# megabyte. A part that cannot be XML (a picture, a printer's settings) is not counted: whatever
# its name, no XML parser makes objects of it.
WHOLE_PARTS_LIMIT = 2 * 2**20
# What a sheet may hold outside its rows (column widths, merged cells, validations, formatting):
# openpyxl keeps those elements while it streams the rows.
OUTSIDE_ROWS_LIMIT = 4 * 2**20
# Parts smaller than this are not held to the ratio: a tiny part of repeated XML compresses well.
RATIO_GRACE_BYTES = 2**20
# An XML character may take up to 8 bytes (&#65535;); a cell's text stays within this many bytes.
BYTES_PER_CHAR = 8
CHUNK = 2**20
SLASH = ord("/")

# A row starts, or the sheet's data ends: a row runs to the next one (with the whitespace after
# its end tag). Without a namespace prefix, as every spreadsheet program writes them, this is a
# literal search (hundreds of MB/s); matching "</row>" too would make it fifty times slower.
_ROW_MARK = re.compile(rb"<row[\s/>]|</sheetData>")  # no group: a group defeats the literal search
# With one (<x:row>), written by a few libraries: slower, used only for such a sheet.
_PREFIXED_ROW_MARK = re.compile(rb"<(?:\w+:)?row[\s/>]|</(?:\w+:)?sheetData>")
_PREFIXED_SHEET = re.compile(rb"<\w+:(?:worksheet|sheetData)[\s>]")
_PREFIXED_SI = re.compile(rb"<\w+:si[\s/>]")


class Refused(Exception):
    """The file breaks a bound; the message says which, for the user."""


def run_limit() -> int:
    """The longest stretch of a part without markup: one cell's text at most (plus a tag's worth)."""
    return settings.AMDESK_IMPORT_MAX_CELL_CHARS * BYTES_PER_CHAR + 4096


def check_parts(archive: zipfile.ZipFile) -> None:
    """Sizes and ratios from the zip's directory: nothing is inflated yet (but the first bytes of a
    part within its ratio, to tell XML from a picture).

    zipfile stops an entry at the size its directory gives, so a lying directory gains nothing.
    """
    ratio_limit = settings.AMDESK_IMPORT_MAX_ZIP_RATIO
    whole = 0
    for entry in archive.infolist():
        name, size = entry.filename, entry.file_size
        if size > RATIO_GRACE_BYTES and size > ratio_limit * max(entry.compress_size, 1):
            raise Refused(
                _(
                    "Part %(part)s of the .xlsx file unpacks to %(ratio)d times its packed size (at most "
                    "%(limit)d): that is not how Excel saves a list. The file was not opened; open it in "
                    "Excel, save it again and import that."
                )
                % {"part": name, "ratio": size // max(entry.compress_size, 1), "limit": ratio_limit}
            )
        if name == SHARED_STRINGS[1:] or name.lower().endswith("sharedstrings.xml"):
            limit = settings.AMDESK_IMPORT_MAX_SHARED_STRINGS_BYTES
            if size > limit:
                raise Refused(
                    _(
                        "The texts of the workbook unpack to %(size)d MB, more than the %(limit)d MB "
                        "that can be imported at once: split the file into parts."
                    )
                    % {"size": size // 2**20, "limit": limit // 2**20}
                )
        elif not _is_sheet(name) and size > OTHER_PART_LIMIT:
            raise Refused(
                _(
                    "Part %(part)s of the .xlsx file unpacks to %(size)d MB; a client list's is far "
                    "smaller. The file was not opened."
                )
                % {"part": name, "size": size // 2**20}
            )
        # Its first bytes only, once its ratio has passed.
        if not (_is_sheet(name) or name.lower().endswith("sharedstrings.xml")) and _may_be_xml(
            archive, entry
        ):
            whole += size
    if whole > WHOLE_PARTS_LIMIT:
        raise Refused(
            _(
                "The .xlsx file holds %(size)d MB besides its sheets and texts (formatting, charts…), "
                "far more than a client list: copy the list into a new workbook, save it and import that."
            )
            % {"size": -(-whole // 2**20)}
        )


def _may_be_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether the part starts as XML does (after a byte-order mark, blanks or UTF-16's zero bytes)."""
    if entry.file_size == 0 or entry.is_dir():
        return False
    with archive.open(entry) as part:
        head = part.read(64)
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    return head.lstrip(b" \t\r\n\x00").startswith(b"<")


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def scan_parts(archive: zipfile.ZipFile) -> None:
    """Every sheet and the shared strings, scanned as they inflate, before a parser reads them."""
    sheets, strings = _parts_parsed(archive)
    for entry in archive.infolist():
        name = entry.filename
        if _is_sheet(name) or name in sheets:
            _scan(archive, entry, rows=True)
        elif name.lower().endswith("sharedstrings.xml") or name in strings:
            _scan(archive, entry, rows=False)


def _parts_parsed(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The parts openpyxl will parse as sheets and as the shared strings, found the way it finds them
    (the content types, the workbook's relationships), not by name: a sheet may be stored under any
    name its relationship gives, and one outside xl/worksheets/ must not escape the scan.

    A package whose workbook cannot be followed yields no sheets: openpyxl then fails on the same
    workbook before it reads a sheet (the shared strings come before it, so they are found first)."""
    try:
        package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    except Exception:  # openpyxl fails on the same part before it reads anything else
        return set(), set()
    strings_part = package.find(SHARED_STRINGS)
    strings = {strings_part.PartName[1:]} if strings_part is not None else set()
    try:
        parser = WorkbookParser(archive, _find_workbook_part(package).PartName[1:], keep_links=False)
        parser.parse()
        sheets = {rel.target for _sheet, rel in parser.find_sheets()}
    except Exception:  # openpyxl raises many kinds for a damaged workbook part
        sheets = set()
    return sheets, strings


def too_long_cell() -> Refused:
    return Refused(
        _(
            "A cell of the file holds more than %(limit)d characters (the most Excel allows in a cell): "
            "the file was not made by Excel as a list and was not opened."
        )
        % {"limit": settings.AMDESK_IMPORT_MAX_CELL_CHARS}
    )


def _scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, rows: bool) -> None:
    longest = run_limit()
    row_limit = settings.AMDESK_IMPORT_MAX_ROW_BYTES
    strings_limit = settings.AMDESK_IMPORT_MAX_SHARED_STRINGS
    in_row, row_bytes, outside, strings, marks = False, 0, 0, 0, None
    carry = b""
    with archive.open(entry) as part:
        while True:
            chunk = part.read(CHUNK)
            data = carry + chunk
            # Up to the last "<": every tag before it is whole, so no mark is cut in two.
            cut = data.rfind(b"<") if chunk else len(data)
            if cut < 0:
                cut = 0
            body, carry = data[:cut], data[cut:]
            if len(carry) > longest or _has_run_longer_than(body, longest):
                raise too_long_cell()
            if rows:
                if marks is None:  # the first chunk says whether tags carry a namespace prefix
                    marks = _PREFIXED_ROW_MARK if _PREFIXED_SHEET.search(body) else _ROW_MARK
                position = 0
                for mark in marks.finditer(body):
                    span = mark.start() - position
                    if in_row:
                        row_bytes += span
                    else:
                        outside += span
                    _check_row(row_bytes, outside, row_limit)
                    position = mark.start()
                    if body[mark.start() + 1] != SLASH:  # a row starts (else the data ends)
                        in_row, row_bytes = True, 0
                    else:
                        in_row = False
                span = len(body) - position
                if in_row:
                    row_bytes += span
                else:
                    outside += span
                _check_row(row_bytes, outside, row_limit)
            else:
                # Counted in C: a regex match object per entry would cost seconds on millions.
                strings += body.count(b"<si>") + body.count(b"<si ")
                if b":si" in body:  # a namespace prefix (<x:si>), written by a few tools
                    strings += len(_PREFIXED_SI.findall(body))
                if strings > strings_limit:
                    raise Refused(
                        _(
                            "The workbook holds more than %(limit)d different texts, more than can be "
                            "imported at once: split the file into parts."
                        )
                        % {"limit": strings_limit}
                    )
            if not chunk:
                return


def row_too_long() -> Refused:
    return Refused(
        _(
            "A row of the file takes more than %(limit)d KB, far more than one client's row: the file "
            "was not opened."
        )
        % {"limit": settings.AMDESK_IMPORT_MAX_ROW_BYTES // 1024}
    )


def _has_run_longer_than(body: bytes, limit: int) -> bool:
    """Whether `body` has a stretch of more than `limit` bytes without "<", at C speed.

    Such a stretch covers a whole aligned window of half its length: only a window without "<"
    (a find that usually stops after a few bytes) is measured exactly.
    """
    window = max(1, (limit + 1) // 2)
    for start in range(0, len(body), window):
        if body.find(b"<", start, start + window) < 0:
            left = body.rfind(b"<", 0, start) + 1
            right = body.find(b"<", start + window)
            if (len(body) if right < 0 else right) - left > limit:
                return True
    return False


def _check_row(row_bytes: int, outside: int, row_limit: int) -> None:
    if row_bytes > row_limit:
        raise row_too_long()
    if outside > OUTSIDE_ROWS_LIMIT:
        raise Refused(
            _(
                "The sheet holds more than %(limit)d MB besides its rows (formatting, merged cells…): "
                "copy the list into a new workbook, save it and import that."
            )
            % {"limit": OUTSIDE_ROWS_LIMIT // 2**20}
        )


class PackedStrings:
    """The shared-strings table in one buffer: entry i is `blob[offsets[i]:offsets[i + 1]]` in UTF-8."""

    def __init__(self):
        self.blob = bytearray()
        self.offsets = array("I", [0])

    def append(self, text: str) -> None:
        self.blob += text.encode("utf-8")
        self.offsets.append(len(self.blob))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        return self.blob[self.offsets[index] : self.offsets[index + 1]].decode("utf-8")


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


def read_packed_strings(source) -> PackedStrings:
    """The table as openpyxl reads it (plain text of each entry, phonetic runs left out), packed.

    The parsed entries are dropped from the tree as they are read, so the parser holds one at a time.
    """
    strings = PackedStrings()
    limit = settings.AMDESK_IMPORT_MAX_SHARED_STRINGS
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
            continue
        if event != "end" or node.tag != _SI:
            continue
        parts = []
        for child in node:
            if child.tag == _T:
                parts.append(child.text or "")
            elif child.tag == _R:
                parts.extend(t.text or "" for t in child if t.tag == _T)
        strings.append("".join(parts).replace("x005F_", ""))
        if len(strings) > limit:
            raise Refused(
                _(
                    "The workbook holds more than %(limit)d different texts, more than can be imported "
                    "at once: split the file into parts."
                )
                % {"limit": limit}
            )
        root.clear()
    return strings


class BoundedExcelReader(ExcelReader):
    """openpyxl's reader with the shared strings packed (see the module's docstring)."""

    def read_strings(self):
        content_type = self.package.find(SHARED_STRINGS)
        if content_type is not None:
            with self.archive.open(content_type.PartName[1:]) as source:
                self.shared_strings = read_packed_strings(source)


def load_bounded_workbook(path):
    """A read-only workbook, values only, once `check_parts` and `scan_parts` have passed."""
    reader = BoundedExcelReader(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb
