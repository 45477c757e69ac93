"""The period's pay input sheet (.xlsx): one row per person with every component and its reason,
and totals. Exported by the appraisal admin only (audited); it is an input to payroll, not one."""

import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import AppraisalPeriod
from ..selectors.ladder import is_appraisal_admin
from ..selectors.pay import pay_lines, pay_totals


def _headers() -> list[str]:
    return [
        _("Employee number"),
        _("Full name"),
        _("Team"),
        _("Ladder grade"),
        _("Score"),
        _("Assets managed"),
        _("Pay band"),
        _("Formal contract"),
        _("Base pay"),
        _("Base pay: reason"),
        _("Account-opening bonus"),
        _("Bonus: reason"),
        _("Grade allowance"),
        _("Allowance: reason"),
        _("Performance pay"),
        _("Performance pay: reason"),
        _("Deferred"),
        _("Deferred: reason"),
        _("Paid this period"),
    ]


def pay_sheet_export(*, actor, period: AppraisalPeriod) -> bytes:
    """The workbook of the period's pay components for everyone (the admin sees all)."""
    import xlsxwriter

    if not is_appraisal_admin(actor):
        raise PermissionDenied(_("Only the appraisal administrator exports the pay sheet."))
    if period.state not in (AppraisalPeriod.State.COMPUTED, AppraisalPeriod.State.APPROVED):
        raise PermissionDenied(_("The period has no results yet."))
    lines = pay_lines(viewer=actor, period=period)
    buffer = io.BytesIO()
    # Names and reasons never become formulas (see ENGINEERING-NOTES).
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    sheet = book.add_worksheet(_("Pay input sheet"))
    title = _("Pay input sheet %(period)s (%(state)s)") % {
        "period": str(period),
        "state": period.get_state_display(),
    }
    sheet.write(0, 0, title, bold)
    sheet.write_row(2, 0, _headers(), bold)
    yes, no = _("Yes"), _("No")
    row = 3
    for line in lines:
        card = line.card
        sheet.write_row(
            row,
            0,
            [
                card.staff.employee_no,
                card.staff.full_name,
                card.org_node.name,
                card.grade.label if card.grade else "",
            ],
        )
        sheet.write_number(row, 4, float(card.score))
        sheet.write_number(row, 5, float(line.assets), money)
        sheet.write_string(row, 6, line.band.name if line.band else "")
        sheet.write_string(row, 7, yes if line.formal_contract else no)
        col = 8
        for part in (line.base, line.opening_bonus, line.allowance, line.performance, line.deferred):
            sheet.write_number(row, col, float(part.amount), money)
            sheet.write_string(row, col + 1, part.reason)
            col += 2
        sheet.write_number(row, 18, float(line.paid_now), money)
        row += 1
    totals = pay_totals(lines)
    sheet.write(row, 0, pgettext("sum", "Total"), bold)
    for col, key in (
        (8, "base"),
        (10, "opening_bonus"),
        (12, "allowance"),
        (14, "performance"),
        (16, "deferred"),
        (18, "paid_now"),
    ):
        sheet.write_number(row, col, float(totals[key]), money_bold)
    sheet.freeze_panes(3, 2)
    sheet.set_column(0, 3, 12)
    sheet.set_column(9, 17, 28)
    book.close()
    audit_record(
        event=AuditEvent.PAY_SHEET_EXPORTED,
        actor=actor,
        target=period,
        detail={"period": period.pk, "rows": len(lines), "paid_now": str(totals["paid_now"])},
    )
    return buffer.getvalue()
