"""The formatters of a ReportData: import them from here.

    from amdesk.reports.framework.render import render_xlsx, render_pdf, report_json

The page is the template reports/report.html (with reports/partials/block.html per block)."""

from .pdf import render_pdf
from .serialize import report_json
from .xlsx import render_xlsx

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
RENDERERS = {"xlsx": render_xlsx, "pdf": render_pdf}

__all__ = ["CONTENT_TYPES", "RENDERERS", "render_pdf", "render_xlsx", "report_json"]
