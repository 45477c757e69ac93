"""Import of DISC profiles from a small .xlsx or .csv: every row is checked first and the errors are
reported row by row; only a file without errors is saved, all at once (nothing half-saved).

The file goes through the client import's reader (size, zip and sheet bounds, read-only openpyxl),
and is held to a few hundred rows: a questionnaire round is that size."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.clients.imports.reader import UnusableFile, check_upload, open_sheet
from amdesk.orgs.models import Staff

from ..models import DISC_FACTORS
from ..selectors.disc import ensure_hr
from .disc import disc_profile_save, disc_scores

MAX_ROWS = 500
MAX_BYTES = 1 * 2**20
MAX_COLUMNS = 30

# Header texts recognised (Chinese as the template has them, or the English keys).
HEADERS = {
    "employee_no": ("工号", "employee_no"),
    "candidate": ("候选人", "姓名", "candidate"),
    "assessed_on": ("测评日期", "assessed_on"),
    **{f"inner_{f.lower()}": (f"内在{f}", f"inner_{f.lower()}") for f in DISC_FACTORS},
    **{f"outer_{f.lower()}": (f"外在{f}", f"outer_{f.lower()}") for f in DISC_FACTORS},
}
TEMPLATE_HEADER = [
    "工号",
    "候选人",
    "测评日期",
    *[f"内在{f}" for f in DISC_FACTORS],
    *[f"外在{f}" for f in DISC_FACTORS],
]


@dataclass
class ImportReport:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _columns(header: list) -> dict[str, int]:
    texts = [str(value or "").strip().lower() for value in header]
    columns = {}
    for key, names in HEADERS.items():
        for index, text in enumerate(texts):
            if text in {name.lower() for name in names}:
                columns[key] = index
                break
    return columns


def _number(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value or "").strip()
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text  # disc_scores names it "not a number"


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    return date.fromisoformat(text.replace("/", "-"))


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _cells(header: dict[str, int], values: list):
    def cell(key):
        index = header.get(key)
        return values[index] if index is not None and index < len(values) else None

    return cell


def _parse(rows, staff_by_no) -> tuple[list[dict], list[tuple[int, str]]]:
    parsed, errors = [], []
    header = None
    for number, values in rows:
        if header is None:
            header = _columns(values)
            missing = [k for k in HEADERS if k.startswith(("inner", "outer")) and k not in header]
            if missing or not ({"employee_no", "candidate"} & set(header)):
                errors.append(
                    (
                        number,
                        _("The first row must name the columns: %(cols)s.")
                        % {"cols": "、".join(TEMPLATE_HEADER)},
                    )
                )
                return [], errors
            continue
        if not any(str(v or "").strip() for v in values):
            continue
        if len(parsed) + len(errors) >= MAX_ROWS:
            errors.append((number, _("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS}))
            break
        cell = _cells(header, values)
        try:
            employee_no = str(cell("employee_no") or "").strip()
            staff = None
            if employee_no:
                staff = staff_by_no.get(employee_no)
                if staff is None:
                    raise ValidationError(
                        _("No staff member has the employee number %(no)s.") % {"no": employee_no}
                    )
            candidate = str(cell("candidate") or "").strip()
            if staff is None and not candidate:
                raise ValidationError(_("Give an employee number or the candidate's name."))
            try:
                assessed_on = _day(cell("assessed_on"))
            except ValueError:
                raise ValidationError(_("Give the assessment date as YYYY-MM-DD.")) from None
            scores = {}
            for style, label in (("inner", _("Inner style")), ("outer", _("Outer style"))):
                raw = {f: _number(cell(f"{style}_{f.lower()}")) for f in DISC_FACTORS}
                try:
                    scores[style] = disc_scores(raw, style, whole=True)
                except ValidationError as exc:
                    raise ValidationError(f"{label}: {_message(exc)}") from None
        except ValidationError as exc:
            errors.append((number, _message(exc)))
            continue
        parsed.append(
            {"staff": staff, "candidate_name": candidate[:50], "assessed_on": assessed_on, **scores}
        )
    return parsed, errors


def disc_profiles_import(*, actor, path: Path, file_name: str, request=None) -> ImportReport:
    ensure_hr(actor)
    report = ImportReport()
    if path.stat().st_size > MAX_BYTES:
        report.errors.append((0, _("The file is larger than 1 MB; a DISC list is far smaller.")))
        return report
    try:
        sheet = open_sheet(path, check_upload(path, file_name))
        rows = []
        for number, values in sheet.rows():
            rows.append((number, list(values)[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                break
        sheet.close()
    except UnusableFile as exc:
        report.errors.append((0, str(exc)))
        return report
    column = _columns(rows[0][1]).get("employee_no") if rows else None
    numbers = {
        str(values[column]).strip()
        for _n, values in rows[1:]
        if column is not None and column < len(values) and values[column]
    }
    staff_by_no = {s.employee_no: s for s in Staff.objects.filter(employee_no__in=numbers)}
    parsed, report.errors = _parse(rows, staff_by_no)
    if report.errors:
        return report
    with transaction.atomic():
        for row in parsed:
            disc_profile_save(actor=actor, request=request, **row)
    report.saved = len(parsed)
    return report
