"""The demo's monthly sales analysis reports: most read, one returned with a comment, one late, one
missing (overdue on the board), am01's draft of last month."""

from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from amdesk.demo.builder import DemoBuilder
from amdesk.planning.models import MonthlySalesReport
from amdesk.planning.selectors.sales_report import report_cells
from amdesk.planning.services.sales_reports import report_month

STEPS = ("preset", "org", "people", "grades", "clients", "planning")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=5, clients=150)
        for label, step in builder.steps():
            if label in STEPS:
                step()
        yield builder
        transaction.set_rollback(True)


def test_demo_reports_in_every_state(demo, db):
    last = report_month(demo.today)
    before = report_month(last)
    reports = MonthlySalesReport.objects.select_related("owner")
    assert reports.filter(month=before, state="reviewed").count() >= 3
    returned = reports.get(month=before, owner__username="am02")
    assert returned.state == "returned" and returned.comment
    late = reports.filter(owner__username="am05", month__lt=last)
    assert late and all(report.submitted_late for report in late)
    assert not reports.filter(owner__username="am09", month=before).exists()
    am09 = reports.model.owner.field.related_model.objects.get(username="am09")
    assert report_cells([am09], before)[0].overdue
    draft = reports.get(owner__username="am01", month=last)
    assert draft.state == "draft" and draft.problems
    # figures frozen on every handed-in report
    assert not reports.filter(state__in=["submitted", "reviewed"], figures__isnull=True).exists()
    assert isinstance(before, date)
