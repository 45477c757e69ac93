"""The monthly sales analysis reports of several people: each one's report on a month with its due
moment and overdue flag (the team list, the team board and its API), and the desk's figures (own
report, its "due soon" reminder, the team's overdue reports and those waiting to be read)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core import calendar

from ...models import MonthlySalesReport
from ...services.common import month_start
from ...services.documents import due_provisional
from ...services.sales_reports import report_month, sales_report_due_at
from ...workflow import DocState
from ..logs import account_managers_for
from ..plans import DueSoon
from .access import sales_reports_for


@dataclass
class ReportCell:
    """One account manager's report on one month: the report (None when not written), its due
    moment (from the calendar until first handed in), overdue when due and not handed in."""

    person: object
    month: date
    due_at: datetime
    report: MonthlySalesReport | None = None
    overdue: bool = False
    kind: str = "sales-report"

    @property
    def pending(self) -> bool:
        return self.report is None or self.report.state == DocState.DRAFT

    @property
    def state(self) -> str:
        if self.pending:
            return "missing" if self.overdue else "not_due"
        return self.report.state

    @property
    def label(self) -> str:
        return "" if self.pending else self.report.get_state_display()

    @property
    def late(self) -> bool:
        return self.report is not None and self.report.submitted_late

    @property
    def provisional(self) -> bool:
        return due_provisional(self.due_at)

    @property
    def url(self) -> str:
        return reverse("planning:sales-report", args=[f"{self.month:%Y-%m}"]) + f"?owner={self.person.pk}"

    # The same names as a board cell of the plans (selectors.plans.Cell), for the board's API.
    @property
    def period(self) -> date:
        return self.month

    @property
    def document(self) -> MonthlySalesReport | None:
        return self.report


def report_cells(people: list, month: date, *, now: datetime | None = None) -> list[ReportCell]:
    """Each person's report on `month` with its state and overdue flag: one query."""
    now = now or timezone.now()
    month = month_start(month)
    due = sales_report_due_at(month)
    ids = [person.pk for person in people]
    found = (
        {
            report.owner_id: report
            for report in MonthlySalesReport.objects.filter(owner__in=ids, month=month).select_related(
                "reviewer"
            )
        }
        if ids
        else {}
    )
    cells = []
    for person in people:
        report = found.get(person.pk)
        stored = report is not None and report.submitted_at is not None
        cell = ReportCell(person, month, report.due_at if stored else due, report)
        cell.overdue = cell.pending and cell.due_at <= now
        cells.append(cell)
    return cells


def team_reports(*, viewer, month: date, now: datetime | None = None) -> list[ReportCell]:
    """The account managers in the viewer's scope (not himself) and their report on `month`."""
    people = [
        person for person in account_managers_for(viewer).select_related("org_node") if person.pk != viewer.pk
    ]
    return report_cells(people, month, now=now)


def board_sales_reports(board, *, now: datetime | None = None):
    """The team board (selectors.plans.team_board) with each row's report due in the board's period
    as `row.sales_report`: the report on the month before the board's month (one query)."""
    cells = report_cells([row.person for row in board.rows], board.summary_month, now=now)
    for row, cell in zip(board.rows, cells, strict=True):
        row.sales_report = cell
    return board


def due_soon_item(cell: ReportCell, *, today: date, now: datetime) -> DueSoon | None:
    """The desk's reminder of the user's own report (like selectors.plans.due_soon for the plans):
    due today or on the next working day, not handed in (none, a draft, or returned), not overdue."""
    if cell.report is not None and cell.report.state in (DocState.SUBMITTED, DocState.REVIEWED):
        return None
    following = calendar.next_working_day(today + timedelta(days=1))
    if timezone.localdate(cell.due_at) not in (today, following) or cell.due_at <= now:
        return None
    url = reverse("planning:sales-report", args=[f"{cell.month:%Y-%m}"])
    return DueSoon(cell.kind, _("Monthly sales analysis report"), cell.month, cell.due_at, cell.report, url)


def sales_report_desk(
    user, *, today: date, now: datetime | None = None, is_account_manager: bool = True, oversees: bool = False
) -> dict:
    """The desk's figures: the user's own report on last month (overdue or not, and as a "due soon"
    reminder when it is due today or on the next working day); for someone overseeing others, how
    many of their reports on last month are overdue and how many wait for his reading. A fixed
    number of queries."""
    now = now or timezone.now()
    month = report_month(today)
    figures = {"sales_report_month": month}
    if is_account_manager:
        cell = report_cells([user], month, now=now)[0]
        figures.update(
            sales_report_overdue=cell.overdue,
            sales_report_state=cell.state,
            sales_report_label=cell.label,
            sales_report_url=reverse("planning:sales-report", args=[f"{month:%Y-%m}"]),
            sales_report_due_soon=due_soon_item(cell, today=today, now=now),
        )
    if oversees:
        cells = team_reports(viewer=user, month=month, now=now)
        figures["team_sales_reports_overdue"] = sum(cell.overdue for cell in cells)
        figures["sales_reports_waiting"] = (
            sales_reports_for(user).exclude(owner=user).filter(state=DocState.SUBMITTED).count()
        )
    return figures
