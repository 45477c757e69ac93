"""The monthly client sales analysis report 《客户月度销售情况分析报告》 (seed 000, 4.4) as a report:
one account manager's document (planning.models.MonthlySalesReport) with its computed sections
(planning.selectors.sales_report: frozen at submission, live while a draft), the account manager's
text and adjusted forecast, and the supervisor's comment, for the PDF and the workbook.

`MonthlySalesReportGenerator.for_document(report, viewer)` reads one document (the planning page's
download); the generic reports page (viewer and month only) reads the viewer's own report on the
month, or, for someone overseeing others, the state of his team's reports on it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.planning.models import MonthlySalesReport
from amdesk.planning.selectors.sales_report import (
    report_figures,
    sales_report_sections,
    sales_reports_for,
    team_reports,
)
from amdesk.planning.services.documents import due_provisional, shown_due_at
from amdesk.planning.services.sales_reports import sales_report_due_at

from ..framework.base import (
    Chart,
    Column,
    Report,
    ReportData,
    ReportPeriod,
    Section,
    Series,
    Table,
    Text,
    register,
)
from .common import available_to_managers

NUMERIC = {"number", "money", "percent", "int"}


def _value(value, kind: str):
    if value in (None, ""):
        return None
    if kind in ("number", "money"):
        return float(value)
    return value


def _table(block: dict) -> Table:
    columns = [Column(c["key"], c["label"], c["kind"]) for c in block["columns"]]
    rows = [{c.key: _value(row.get(c.key), c.kind) for c in columns} for row in block["rows"]]
    return Table(block["title"], columns, rows, note=block.get("note", ""))


def _chart(block: dict) -> Chart:
    return Chart(
        block["title"],
        "bar" if block["kind"] == "pie" and not block["categories"] else block["kind"],
        block["categories"],
        [Series(s["name"], s["values"]) for s in block["series"]],
        unit=block.get("unit", ""),
    )


@register
class MonthlySalesReportGenerator(Report):
    code = "monthly-sales"
    title = gettext_lazy("Monthly client sales analysis report")
    description = gettext_lazy(
        "An account manager's analysis of his clients' sales last month: sales against the previous "
        "month and last year, problems and countermeasures, client opinions, next month's forecast."
    )
    period_kinds = ("month",)
    group = gettext_lazy("Plans and targets")

    def __init__(
        self, *, viewer, period: ReportPeriod, node=None, document: MonthlySalesReport | None = None
    ):
        super().__init__(viewer=viewer, period=period, node=node)
        self.document = document

    @classmethod
    def for_document(cls, document: MonthlySalesReport, viewer) -> MonthlySalesReportGenerator:
        """The report of one document the caller read through the viewer's scope."""
        period = ReportPeriod.month(document.month.year, document.month.month)
        return cls(viewer=viewer, period=period, document=document)

    @classmethod
    def is_available_to(cls, user) -> bool:
        return available_to_managers(user)

    def gather(self) -> ReportData:
        document = self.document
        if document is None:
            document = (
                sales_reports_for(self.viewer).filter(owner=self.viewer, month=self.period.start).first()
            )
            if document is None and self._oversees():
                return self._team()
        return self._one(document)

    def _oversees(self) -> bool:
        from amdesk.orgs.access import oversees

        return oversees(self.viewer)

    def _one(self, document: MonthlySalesReport | None) -> ReportData:
        owner = document.owner if document is not None else self.viewer
        month = self.period.start
        figures = report_figures(document, owner=owner, month=month)
        sections = []
        for raw in sales_report_sections(figures, document):
            blocks = []
            if raw["key"] == "d":
                blocks.append(Text(_("How the forecast is made"), str(raw["method"])))
            for block in raw["blocks"]:
                blocks.append(_table(block) if block["type"] == "table" else _chart(block))
            field = raw.get("text_field")
            if field:
                text = getattr(document, field, "") if document is not None else ""
                blocks.append(Text(_("The account manager's text"), text or "—"))
            sections.append(Section(raw["title"], blocks))
        notes = []
        due = shown_due_at(document) if document is not None else sales_report_due_at(month)
        state = document.get_state_display() if document is not None else _("Not written yet")
        status = _("State: %(state)s. Due by %(due)s.") % {"state": state, "due": f"{due:%Y-%m-%d %H:%M}"}
        if document is not None and document.submitted_at:
            status += " " + _("Submitted %(at)s.") % {"at": f"{document.submitted_at:%Y-%m-%d %H:%M}"}
            if document.submitted_late:
                status += " " + _("Late.")
        notes.append(status)
        if due_provisional(due):
            notes.append(_("The due date rests on a year without official holiday data (provisional)."))
        if document is not None and document.comment:
            reviewer = document.reviewer.full_name if document.reviewer else ""
            sections.append(Section(_("Supervisor's comment"), [Text(reviewer, document.comment)]))
        return ReportData(
            title=_("Monthly client sales analysis report"),
            subtitle=f"{owner.full_name} · {month:%Y-%m}",
            period_label=self.period.label,
            sections=sections,
            notes=notes,
        )

    def _team(self) -> ReportData:
        cells = team_reports(viewer=self.viewer, month=self.period.start)
        if self.node is not None:
            cells = [
                c for c in cells if c.person.org_node and c.person.org_node.path.startswith(self.node.path)
            ]
        columns = [
            Column("person", _("Account manager")),
            Column("node", _("Org node")),
            Column("state", _("State")),
            Column("due", _("Due by")),
            Column("submitted", _("Submitted")),
            Column("late", _("Late")),
        ]
        rows = [
            {
                "person": c.person.full_name,
                "node": getattr(c.person.org_node, "name", ""),
                "state": str(c.label) if not c.pending else (_("Missing") if c.overdue else _("Not yet due")),
                "due": f"{c.due_at:%Y-%m-%d %H:%M}",
                "submitted": f"{c.report.submitted_at:%Y-%m-%d %H:%M}"
                if c.report and c.report.submitted_at
                else "",
                "late": _("Yes") if c.late or c.overdue else "",
            }
            for c in cells
        ]
        return ReportData(
            title=_("Monthly client sales analysis report"),
            subtitle=_("The team's reports on %(month)s") % {"month": f"{self.period.start:%Y-%m}"},
            period_label=self.period.label,
            sections=[Section(_("Reports"), [Table(_("Reports"), columns, rows)])],
        )
