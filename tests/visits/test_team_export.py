"""The team visits page's .xlsx: the page's rows and total, in the viewer's scope, audited."""

import pytest

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client
from tests.core.xlsx_helpers import first_column, sheet_table

from .factories import record_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(account_manager, team2_manager, other_manager):
    record_visit(account_manager, make_client(account_manager, "甲一", tier="key"))
    record_visit(team2_manager, make_client(team2_manager, "乙一"))
    make_client(other_manager, "丙一", tier="key")


def test_export_rows_equal_the_page_rows(visits, supervisor, client_for):
    browser = client_for(supervisor)
    page = browser.get("/visits/team/", {"days": "90"})
    assert 'data-testid="team-export"' in page.content.decode()
    response = browser.get("/visits/team/", {"days": "90", "format": "xlsx"})
    header, rows = sheet_table(response.content)
    tiers = page.context["tiers"]
    assert len(header) == 2 + len(tiers) + 9
    people = page.context["rows"]
    assert first_column(rows[:-1]) == [row["person"].full_name for row in people]
    for line, row in zip(rows, people, strict=False):
        kpis = row["kpis"]
        assert line[2 : 2 + len(tiers)] == row["tiers"]
        assert line[2 + len(tiers)] == row["overdue"]
        assert line[3 + len(tiers) :][:6] == [
            kpis.compliance_rate(),
            kpis.key_compliance,
            kpis.contacts,
            kpis.on_site,
            kpis.avg_minutes,
            kpis.plan_completion,
        ]
    total = rows[-1]
    assert total[2 : 3 + len(tiers)] == [*page.context["team"]["tiers"], page.context["team"]["overdue"]]
    entry = AuditEntry.objects.get(event=AuditEvent.VISIT_TEAM_EXPORTED)
    assert entry.actor == supervisor and entry.detail["query"] == {"days": "90"}


@pytest.mark.parametrize(
    ("who", "names"),
    [("account_manager", ["苏婷瑶"]), ("other_supervisor", ["郭佳"]), ("supervisor", ["苏婷瑶", "钟欢岚"])],
)
def test_export_scope(visits, request, client_for, who, names):
    response = client_for(request.getfixturevalue(who)).get("/visits/team/", {"format": "xlsx"})
    _header, rows = sheet_table(response.content)
    assert sorted(first_column(rows[:-1])) == sorted(names)
