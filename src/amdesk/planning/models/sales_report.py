"""The monthly client sales analysis report 《客户月度销售情况分析报告》 (seed 000, 4.4): one per account
manager and month (the month reported on), due on a day of the next month (PlanningSettings,
节假日顺延), on the periodic-document workflow (workflow.py) like the plans.

What the system computes (selectors.sales_report: sales, what it noticed, the month's client opinions,
the forecast from history) is shown live while the report is a draft or returned, and frozen into
`figures` when it is submitted, so a report once read does not change later. What the account manager
writes: b) problems, causes and countermeasures; c) a summary of the client opinions; d) his reading of
next month and, per indicator, an adjusted forecast with a short reason (`forecast`)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .document import DocumentEvent, PeriodicDocument


class MonthlySalesReport(PeriodicDocument):
    month = models.DateField(_("month"))  # its first day: the month reported on
    problems = NoteField(_("problems, causes and countermeasures"), blank=True)
    opinions = NoteField(_("main client opinions on goods and service"), blank=True)
    outlook = NoteField(_("forecast for next month"), blank=True)
    # The account manager's adjustments of the system's forecast, by performance item id (text):
    # {"12": {"value": "130.00", "reason": "…"}}; an item not listed keeps the system's forecast.
    forecast = models.JSONField(_("adjusted forecast"), default=dict, blank=True)
    # The computed parts as they stood when the report was last submitted (selectors.sales_report):
    # shown instead of the live ones while submitted or reviewed; cleared when it is returned.
    figures = models.JSONField(_("figures at submission"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly client sales analysis report")
        verbose_name_plural = _("monthly client sales analysis reports")
        ordering = ["-month", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="monthly_sales_report_one_per_month"),
        ]
        indexes = [models.Index(fields=["org_node", "month"]), models.Index(fields=["state", "month"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return (
            reverse("planning:sales-report", args=[self.month.strftime("%Y-%m")]) + f"?owner={self.owner_id}"
        )


class MonthlySalesReportEvent(DocumentEvent):
    document = models.ForeignKey(MonthlySalesReport, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("monthly sales report step")
        verbose_name_plural = _("monthly sales report steps")
