"""The client import template: an .xlsx to fill in, with the headers the import reads.

Sheet one holds the headers of COLUMNS (required ones marked *), one example row, drop-down
lists for the choice columns and the preset's VIP levels, tiers and grades, and text-formatted
identifier columns, so Excel neither turns an ID number into 1.1E+17 nor drops the leading
zeros of an employee number. Sheet two explains each column. The lists hold the first word of each value,
which is also what an export writes.
"""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from xlsxwriter.utility import xl_col_to_name

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .columns import COLUMNS, Column
from .exporting import XLSX_CONTENT_TYPE, XLSX_MAX_ROWS, safe_sheet_name
from .models import ClientGrade, ClientTier, VipLevel

REQUIRED = frozenset({"name"})
# Required unless an account manager imports his own clients, who then become their owner.
REQUIRED_UNLESS_OWN = frozenset({"owner"})
# The client services read these from a resident ID number, over what the cell says.
FROM_ID_NUMBER = frozenset({"gender", "birth_date"})
TEXT_KINDS = frozenset({"identifier", "reference"})  # typed as text: no scientific notation, no lost zeros
DATE_EXAMPLES = "2024-03-05、2024/3/5、2024年3月5日"
WORD_SEPARATOR = "、"
WIDTHS = {"name": 24, "id_number": 22, "credit_code": 22, "address": 36, "remarks": 36, "owner": 14}
DEFAULT_WIDTH = 13


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _header(column: Column) -> str:
    return f"{column.header}*" if column.field in REQUIRED else column.header


def _first_words(column: Column) -> list[str]:
    return [words[0] for words in column.words.values()]


def _other_words(column: Column) -> list[str]:
    return [word for words in column.words.values() for word in words[1:]]


def _requirement(column: Column) -> str:
    if column.field in REQUIRED:
        return _("Required")
    if column.field in REQUIRED_UNLESS_OWN:
        return _("Required, unless an account manager imports his own clients (they become his)")
    return _("Optional")


def _accepted(column: Column, references: dict[str, list[str]]) -> str:
    """What a cell of the column may hold, as the instructions sheet says it."""
    text = _described(column, references)
    if column.field in FROM_ID_NUMBER:
        text += _("; taken from the ID number when there is one")
    return text


def _described(column: Column, references: dict[str, list[str]]) -> str:
    if column.kind == "choice":
        text = _("One of: %(words)s") % {"words": WORD_SEPARATOR.join(_first_words(column))}
        others = _other_words(column)
        if others:
            text += _("; also accepted: %(words)s") % {"words": WORD_SEPARATOR.join(others)}
        return text
    if column.kind == "date":
        return _("A date, e.g. %(examples)s") % {"examples": DATE_EXAMPLES}
    if column.field == "id_number":
        return _("The 18-character resident ID number (the last one may be X)")
    if column.field == "credit_code":
        return _("The 18-character unified social credit code")
    if column.field == "mobile":
        return _("An 11-digit mobile number")
    if column.field == "owner":
        return _("The employee number of the account manager who will own the client")
    if column.field in references:
        return _("One of: %(words)s") % {"words": WORD_SEPARATOR.join(references[column.field])}
    if column.max_length:
        return _("Text, at most %(count)d characters") % {"count": column.max_length}
    return _("Text")


def write_import_template(fileobj, *, references: dict[str, list[str]]) -> None:
    """Write the template; `references` are the names of the active preset items of the reference
    columns (VIP level, tier, grade), in order."""
    workbook = xlsxwriter.Workbook(
        fileobj, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    header_base = {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
    header_formats = {
        "required": workbook.add_format({**header_base, "bg_color": "#F8CBAD"}),
        "owner": workbook.add_format({**header_base, "bg_color": "#FFE699"}),
        "optional": workbook.add_format({**header_base, "bg_color": "#DDEBF7"}),
    }
    text_format = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    example_format = workbook.add_format({"font_color": "#7F7F7F", "italic": True})
    example_text_format = workbook.add_format({"font_color": "#7F7F7F", "italic": True, "num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True})

    sheet = workbook.add_worksheet(safe_sheet_name(pgettext("sheet name", "Client import")))
    guide = workbook.add_worksheet(safe_sheet_name(pgettext("sheet name", "Instructions")))
    lists = workbook.add_worksheet(safe_sheet_name(pgettext("sheet name", "Lists")))
    lists.hide()
    sheet.activate()
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)
    last_row = XLSX_MAX_ROWS - 1
    for index, column in enumerate(COLUMNS):
        as_text = column.kind in TEXT_KINDS
        cell_format = text_format if as_text else date_format if column.kind == "date" else None
        sheet.set_column(index, index, WIDTHS.get(column.field, DEFAULT_WIDTH), cell_format)
        if column.field in REQUIRED:
            kind = "required"
        elif column.field in REQUIRED_UNLESS_OWN:
            kind = "owner"
            sheet.write_comment(0, index, _requirement(column), {"x_scale": 2})
        else:
            kind = "optional"
        sheet.write_string(0, index, _header(column), header_formats[kind])
        if column.example:
            sheet.write_string(1, index, column.example, example_text_format if as_text else example_format)
        words = _first_words(column) if column.kind == "choice" else []
        if references.get(column.field):
            # Preset names come from the database: a range of the hidden sheet, not an inline list
            # (whose 255 characters a long list would exceed, and in which a comma would split a name).
            names = references[column.field]
            at = list(references).index(column.field)
            lists.write_column(0, at, names)
            letter = xl_col_to_name(at)
            source = f"={_quoted(lists.name)}!${letter}$1:${letter}${len(names)}"
        elif words:
            source = words
        else:
            continue
        sheet.data_validation(
            1,
            index,
            last_row,
            index,
            {
                "validate": "list",
                "source": source,
                "ignore_blank": True,
                # A warning, not a stop: the import also reads other words (对私, Y…) that people paste.
                "error_type": "warning",
                "error_title": str(column.header)[:32],
                "error_message": _accepted(column, references)[:255],
            },
        )

    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 30, wrap)
    guide.set_column(2, 2, 50, wrap)
    guide.set_column(3, 3, 40, wrap)
    notes = [
        _("Fill in one client per row of the sheet “%(sheet)s”, under the headers.") % {"sheet": sheet.name},
        _("Row 2 is an example: overwrite or delete it before importing."),
        _("Columns marked * are required. Headers may be in any order; columns may be left out."),
        _(
            "Each row needs an ID number, a credit code, or a name with a mobile number: "
            "the import finds clients by them."
        ),
        _("Personal data in this file: keep it safe and delete it once imported."),
    ]
    for row, note in enumerate(notes):
        guide.write_string(row, 0, note)
    table = len(notes) + 1
    titles = [_("Column"), _("Required"), _("What to fill in"), _("Other headers the import reads")]
    for index, title in enumerate(titles):
        guide.write_string(table, index, title, bold)
    for row, column in enumerate(COLUMNS, start=table + 1):
        guide.write_string(row, 0, _header(column))
        guide.write_string(row, 1, _requirement(column))
        guide.write_string(row, 2, _accepted(column, references))
        guide.write_string(row, 3, WORD_SEPARATOR.join(column.synonyms))
    workbook.close()


def client_import_template(*, actor, request=None, channel: str = "web") -> tuple[str, bytes]:
    """The template as (file name, content), with the active VIP levels, tiers and grades; the
    download is audited."""
    references = {
        field: list(
            model.objects.filter(is_active=True).order_by("order", "code").values_list("name", flat=True)
        )
        for field, model in (("vip_level", VipLevel), ("tier", ClientTier), ("grade", ClientGrade))
    }
    buffer = io.BytesIO()
    write_import_template(buffer, references=references)
    audit_record(
        event=AuditEvent.IMPORT_TEMPLATE_DOWNLOADED, actor=actor, request=request, detail={"channel": channel}
    )
    return f"{pgettext('export file name', 'client-import-template')}.xlsx", buffer.getvalue()


def template_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
