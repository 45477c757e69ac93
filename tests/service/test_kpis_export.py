"""The service KPI page's .xlsx: the page's rows and total, per grouping, in the viewer's scope,
audited."""

import pytest

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.core.xlsx_helpers import first_column, sheet_table

from .factories import open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(account_manager, team2_manager, other_manager):
    open_ticket(account_manager)
    open_ticket(account_manager)
    open_ticket(team2_manager)
    open_ticket(other_manager)


@pytest.mark.parametrize("group", ["owner", "team", "branch"])
def test_export_rows_equal_the_page_rows(tickets, branch_head, client_for, group):
    web = client_for(branch_head)
    page = web.get("/service/kpis/", {"group": group})
    assert b'data-testid="kpi-export"' in page.content
    response = web.get("/service/kpis/", {"group": group, "format": "xlsx"})
    header, rows = sheet_table(response.content)
    assert len(header) == 13
    shown = [row["kpis"] for row in page.context["rows"]]
    body = rows[:-1] if len(shown) > 1 else rows
    assert first_column(body) == [k.label or "—" for k in shown]
    for line, k in zip(body, shown, strict=True):
        assert line[1:] == [
            k.received,
            k.first_feedback_rate,
            k.first_feedback_timely,
            k.first_feedback_due,
            k.handling_rate,
            k.handled,
            k.satisfaction_rate,
            k.satisfied,
            k.rated,
            k.valid_complaints,
            k.repeat_complaints,
            k.breaches,
        ]
    if len(shown) > 1:
        assert rows[-1][1] == page.context["report"].total.received == 4
    entry = AuditEntry.objects.get(event=AuditEvent.SERVICE_KPIS_EXPORTED)
    assert entry.actor == branch_head and entry.detail["query"] == {"group": group}


@pytest.mark.parametrize(
    ("who", "names"),
    [("account_manager", ["苏婷瑶"]), ("other_supervisor", ["郭佳"]), ("supervisor", ["苏婷瑶", "钟欢岚"])],
)
def test_export_scope(tickets, request, client_for, who, names):
    response = client_for(request.getfixturevalue(who)).get("/service/kpis/", {"format": "xlsx"})
    _header, rows = sheet_table(response.content)
    body = rows[:-1] if len(names) > 1 else rows
    assert sorted(first_column(body)) == sorted(names)
