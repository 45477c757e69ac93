"""The team targets page's .xlsx: the page's rows (achieved, target, status per indicator), in the
viewer's scope, audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.services import target_sheet_save
from tests.core.xlsx_helpers import first_column, sheet_table
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

OCT = "2026-10"
URL = f"/planning/targets/{OCT}/team/"


@pytest.fixture
def targets(account_manager, supervisor, other_manager):
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "20"}},
    )
    register(account_manager, {("insurance", date(2026, 10, 9)): "4"})


def test_export_rows_equal_the_page_rows(targets, supervisor, account_manager, client_for):
    web = client_for(supervisor)
    page = web.get(URL)
    assert b'data-testid="team-targets-export"' in page.content
    response = web.get(URL, {"format": "xlsx"})
    header, rows = sheet_table(response.content)
    items = page.context["items"]
    assert len(header) == 3 + 3 * len(items)
    assert first_column(rows) == [row.person.full_name for row in page.context["rows"]]
    statuses = {"done": _("Achieved"), "on_track": _("On track"), "behind": _("Behind")}
    for line, row in zip(rows, page.context["rows"], strict=True):
        cells = []
        for _item, target, achieved, status in row.line:
            cells += [
                float(achieved),
                float(target) if target is not None else None,
                statuses.get(status),
            ]
        assert line[3:] == cells
    mine = next(line for line in rows if line[0] == account_manager.full_name)
    insurance = 3 + 3 * [item.code for item in items].index("insurance")
    assert mine[insurance : insurance + 2] == [float(Decimal("4")), 20.0]
    entry = AuditEntry.objects.get(event=AuditEvent.TEAM_TARGETS_EXPORTED)
    assert entry.actor == supervisor and entry.detail["rows"] == len(rows)


@pytest.mark.parametrize(
    ("who", "names"),
    # the page leaves the viewer himself out: an account manager's team table is empty
    [("account_manager", []), ("other_supervisor", ["郭佳"]), ("supervisor", ["苏婷瑶"])],
)
def test_export_scope(targets, request, client_for, who, names):
    response = client_for(request.getfixturevalue(who)).get(URL, {"format": "xlsx"})
    _header, rows = sheet_table(response.content)
    assert sorted(first_column(rows)) == sorted(names)
