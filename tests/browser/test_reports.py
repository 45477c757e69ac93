"""The service SLA report in the browser: a supervisor opens it from the reports list, switches the
chart to its table, and downloads the .xlsx."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)


def test_supervisor_reads_the_sla_report_as_a_table_and_downloads_it(
    live_server, page, account_manager, team2_manager, other_manager, supervisor
):
    base = live_server.url
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/reports/")
    page.get_by_test_id("report-service-sla").click()
    expect(page.get_by_test_id("report-title")).to_be_visible()
    chart = page.locator("[data-report-chart]").first
    # ECharts has drawn the chart (an svg inside the canvas)
    expect(chart.locator(".report-chart-canvas svg")).to_be_attached()
    table = chart.locator(".report-chart-table")
    expect(table).to_be_hidden()
    chart.locator("[data-view=table]").click()
    expect(table).to_be_visible()
    expect(chart.locator(".report-chart-canvas")).to_be_hidden()
    expect(table).to_contain_text(account_manager.full_name)
    expect(page.locator("main")).not_to_contain_text(other_manager.full_name)

    with page.expect_download() as downloaded:
        page.get_by_test_id("download-xlsx").click()
    download = downloaded.value
    name = download.suggested_filename
    assert name.startswith("service-sla-") and name.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    names = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert account_manager.full_name in names and other_manager.full_name not in names
    assert AuditEntry.objects.filter(event=AuditEvent.REPORT_EXPORTED, actor=supervisor).count() == 1
