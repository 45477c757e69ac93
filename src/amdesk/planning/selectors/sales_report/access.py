"""Who may read which monthly sales analysis report: the scoped list and the one-object gate."""

from django.db.models import QuerySet
from django.http import Http404

from amdesk.orgs.access import records_q, scoped

from ...models import MonthlySalesReport


def sales_reports_for(viewer) -> QuerySet:
    return scoped(MonthlySalesReport.objects.all(), records_q(viewer)).select_related(
        "owner", "reviewer", "org_node"
    )


def access_sales_report(viewer, pk) -> MonthlySalesReport:
    """One report the viewer may see; "not found" for both missing and forbidden."""
    report = sales_reports_for(viewer).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    return report
