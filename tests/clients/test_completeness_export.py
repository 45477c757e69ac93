"""The archive completeness page's .xlsx: the page's rows, in the viewer's scope, audited."""

import pytest

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.core.xlsx_helpers import first_column, sheet_table

from .factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def archives(account_manager, team2_manager, other_manager):
    make_client(account_manager, name="甲一")
    make_client(account_manager, name="甲二")
    make_client(team2_manager, name="乙一")
    make_client(other_manager, name="丙一")


@pytest.mark.parametrize("by", ["owner", "org"])
def test_export_rows_equal_the_page_rows(archives, supervisor, client_for, by):
    browser = client_for(supervisor)
    page = browser.get("/clients/completeness/", {"by": by})
    assert 'data-testid="completeness-export"' in page.content.decode()
    response = browser.get("/clients/completeness/", {"by": by, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    _header, rows = sheet_table(response.content)
    expected = [
        [row.label, row.clients, row.complete, round(row.rate, 1), round(row.average, 1)]
        for row in page.context["rows"]
    ]
    assert rows == expected and len(rows) == 2
    entry = AuditEntry.objects.get(event=AuditEvent.COMPLETENESS_EXPORTED)
    assert entry.actor == supervisor and entry.detail["rows"] == 2


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("account_manager", ["苏婷瑶"]),
        ("other_supervisor", ["郭佳"]),
        ("branch_head", ["苏婷瑶", "钟欢岚", "郭佳"]),
    ],
)
def test_export_scope(archives, request, client_for, who, names):
    response = client_for(request.getfixturevalue(who)).get("/clients/completeness/", {"format": "xlsx"})
    _header, rows = sheet_table(response.content)
    assert sorted(first_column(rows)) == sorted(names)
