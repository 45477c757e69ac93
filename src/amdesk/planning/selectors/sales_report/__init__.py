"""Reads of the monthly client sales analysis report (models.sales_report), split by what they do:
- access.py: the scoped list and the one-object gate;
- figures.py: the computed parts the account manager starts from (set-based, over his own clients: a
  fixed number of queries whatever the number of clients or indicators), live or frozen;
- sections.py: the way they are shown (sections of tables and charts, shared by the page, the API and
  the PDF/xlsx);
- team.py: each person's report on a month for the team list and the team board, the desk's figures.

The computed parts, as JSON (frozen on the report when it is submitted):
a) sales of the month: the performance registrations per indicator, the clients' AUM at the month's
   end, each against the previous month and the same month last year; the holdings by product line
   (balances as they stand: holdings keep no history);
b) what the system noticed: clients whose AUM fell by the settings' percentage or more in the month,
   indicators behind their target, key clients overdue for a visit (the visit norms), repeat
   complaints received in the month;
c) the month's client opinions: visit records' opinions and suggestions, special visits, tickets;
d) next month's forecast per indicator: the mean of the last three months' figures (shown with the
   same month last year for reference); the account manager adjusts it with a reason."""

from .access import access_sales_report, sales_reports_for
from .figures import own_clients, report_figures, sales_report_figures
from .sections import forecast_rows, sales_report_sections
from .team import (
    ReportCell,
    board_sales_reports,
    due_soon_item,
    report_cells,
    sales_report_desk,
    team_reports,
)

__all__ = [
    "ReportCell",
    "access_sales_report",
    "board_sales_reports",
    "due_soon_item",
    "forecast_rows",
    "own_clients",
    "report_cells",
    "report_figures",
    "sales_report_desk",
    "sales_report_figures",
    "sales_report_sections",
    "sales_reports_for",
    "team_reports",
]
