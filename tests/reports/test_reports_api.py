"""The report pages and API: the list by role, one report in scope (page, JSON, .xlsx, PDF), 404 for
a report or node out of reach, an audit entry per export."""

import io

import openpyxl
import pypdfium2
import pytest

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def names_in_xlsx(content: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}


def test_list_shows_the_reports_of_the_viewer(api_for, account_manager, supervisor, client_for):
    codes = {r["code"] for r in api_for(account_manager).get("/api/v1/reports/").json()}
    assert {"service-sla", "visit-compliance", "target-completion"} <= codes
    body = client_for(supervisor).get("/reports/").content.decode()
    assert "/reports/service-sla/" in body and 'href="/reports/"' in body  # the list and the nav entry


def test_api_data_in_scope(
    tickets, api_for, account_manager, other_manager, supervisor, other_supervisor, org
):
    def names(user, **params):
        response = api_for(user).get("/api/v1/reports/service-sla/", {"period": "2026-11", **params})
        assert response.status_code == 200, response.content
        table = next(b for b in response.json()["sections"][0]["blocks"] if b["type"] == "table")
        return {row["am"] for row in table["rows"] if not row["subtotal"]}

    assert names(account_manager) == {account_manager.full_name}
    assert other_manager.full_name not in names(supervisor)
    assert names(other_supervisor) == {other_manager.full_name}
    assert (
        api_for(other_supervisor)
        .get("/api/v1/reports/service-sla/", {"period": "2026-11", "node": org.tm1.pk})
        .status_code
        == 404
    )
    assert api_for(supervisor).get("/api/v1/reports/no-such-report/").status_code == 404
    assert api_for(supervisor).get("/api/v1/reports/service-sla/", {"period": "2026-13"}).status_code == 400
    assert api_for(supervisor).get("/api/v1/reports/service-sla/", {"period": "2026"}).status_code == 400


def test_api_export_xlsx_and_pdf_audited(tickets, api_for, supervisor, other_manager, account_manager):
    response = api_for(supervisor).get("/api/v1/reports/service-sla/export/", {"period": "2026-11"})
    assert response.status_code == 200
    names = names_in_xlsx(response.content)
    assert account_manager.full_name in names and other_manager.full_name not in names
    pdf = api_for(supervisor).get(
        "/api/v1/reports/service-sla/export/", {"period": "2026-11", "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pypdfium2.PdfDocument(pdf.content)[0].get_textpage().get_text_range()
    entries = AuditEntry.objects.filter(event=AuditEvent.REPORT_EXPORTED, actor=supervisor)
    assert [e.detail["format"] for e in entries.order_by("pk")] == ["xlsx", "pdf"]
    assert entries.first().detail["period"] == "2026-11"


def test_page_and_downloads_in_scope(tickets, client_for, supervisor, other_supervisor, account_manager, org):
    browser = client_for(supervisor)
    page = browser.get("/reports/service-sla/", {"period": "2026-11"})
    assert page.status_code == 200
    body = page.content.decode()
    assert account_manager.full_name in body and 'data-report-chart="chart-0"' in body
    download = browser.get("/reports/service-sla/", {"period": "2026-11", "format": "xlsx"})
    assert download["Content-Disposition"] == 'attachment; filename="service-sla-2026-11.xlsx"'
    assert account_manager.full_name in names_in_xlsx(download.content)
    assert AuditEntry.objects.filter(event=AuditEvent.REPORT_EXPORTED, actor=supervisor).count() == 1
    other = client_for(other_supervisor)
    assert (
        account_manager.full_name
        not in other.get("/reports/service-sla/", {"period": "2026-11"}).content.decode()
    )
    assert other.get("/reports/service-sla/", {"node": org.tm1.pk, "format": "pdf"}).status_code == 404
    assert other.get("/reports/nothing-here/").status_code == 404


@pytest.mark.parametrize("code", ["service-sla", "visit-compliance", "target-completion"])
def test_each_report_page_renders_for_a_head(code, client_for, branch_head, account_manager):
    response = client_for(branch_head).get(f"/reports/{code}/")
    assert response.status_code == 200


ALL_REPORTS = [
    "appraisal-results",
    "big-accounts",
    "monthly-sales",
    "satisfaction",
    "service-sla",
    "target-completion",
    "visit-compliance",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # an AM: his monthly report, his own lines of SLA, visits, targets, his big accounts, his
        # clients' satisfaction and his own appraisal line
        ("account_manager", set(ALL_REPORTS)),
        ("supervisor", set(ALL_REPORTS)),
        ("branch_head", set(ALL_REPORTS)),
        ("appraisal_admin", set(ALL_REPORTS)),
    ],
)
def test_the_reports_page_lists_each_roles_reports(request, client_for, who, expected):
    body = client_for(request.getfixturevalue(who)).get("/reports/").content.decode()
    listed = {code for code in ALL_REPORTS if f'data-testid="report-{code}"' in body}
    assert listed == expected


def test_a_user_without_a_role_gets_no_report(client_for, org):
    from tests.orgs.factories import StaffFactory

    nobody = StaffFactory(username="nobody", org_node=org.tm1, roles=[])
    body = client_for(nobody).get("/reports/").content.decode()
    assert 'data-testid="report-' not in body


@pytest.mark.parametrize("code", ALL_REPORTS)
@pytest.mark.parametrize("who", ["account_manager", "branch_head"])
def test_each_report_exports_for_each_role(code, who, request, client_for):
    browser = client_for(request.getfixturevalue(who))
    assert browser.get(f"/reports/{code}/").status_code == 200
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = browser.get(f"/reports/{code}/", {"format": fmt})
        assert response.status_code == 200 and response.content[: len(magic)] == magic
