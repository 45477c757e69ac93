"""The visit compliance report: compliance by the tier norms and overdue clients per tier, as the
visits selectors count them; scope; query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.clients.models import ClientTier
from amdesk.reports.framework.base import REGISTRY, ReportPeriod
from amdesk.reports.framework.values import is_subtotal
from amdesk.visits.models import VisitNorm
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.visits.factories import at, created_on, norm, record_visit, visit_settings

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 6)
FEBRUARY = ReportPeriod.month(2026, 2)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture
def visits(preset, account_manager, team2_manager, other_manager):
    VisitNorm.objects.all().delete()
    norm("重点客户每周", 7, tier="key")
    norm("普通客户每两周", 14, tier="ordinary")
    visit_settings(remote_counts_for_norm=True)

    def old(owner, name, tier):
        client = make_client(owner, name, tier=tier)
        created_on(client, date(2025, 12, 1))
        return client

    # AM: a key client visited weekly in February (complies), an ordinary one never (does not)
    key = old(account_manager, "王重点", "key")
    for day in (2, 9, 16, 23):
        record_visit(account_manager, key, date(2026, 2, day))
    old(account_manager, "李普通", "ordinary")
    # team2: one ordinary client visited twice (complies)
    plain = old(team2_manager, "赵普通", "ordinary")
    for day in (3, 17):
        record_visit(team2_manager, plain, date(2026, 2, day))
    old(other_manager, "钱普通", "ordinary")


def gather(viewer, node=None):
    data = REGISTRY["visit-compliance"](viewer=viewer, period=FEBRUARY, node=node).gather()
    return data.sections[0].blocks[0]


def test_compliance_and_overdue_by_tier(visits, branch_head, account_manager, team2_manager):
    table = gather(branch_head)
    people = {row["am"]: row for row in table.rows if not is_subtotal(row)}
    am = people[account_manager.full_name]
    assert (am["due"], am["complied"], am["compliance"]) == (2, 1, 50.0)
    assert am["key_compliance"] == 100.0
    assert am["contacts"] == 4
    assert people[team2_manager.full_name]["compliance"] == 100.0
    ordinary = ClientTier.objects.get(code="ordinary")
    key = ClientTier.objects.get(code="key")
    # overdue today (6 March): the key client was due again on 2 March, the ordinary one never seen,
    # team2's seen on 17 February was due on 3 March
    assert am[f"overdue_{ordinary.pk}"] == 1 and am[f"overdue_{key.pk}"] == 1 and am["overdue"] == 2
    assert table.totals["due"] == 4 and table.totals["complied"] == 2 and table.totals["compliance"] == 50.0
    assert table.totals[f"overdue_{ordinary.pk}"] == 3


def test_scope_and_drill_down(
    visits, account_manager, supervisor, other_supervisor, branch_head, org, other_manager
):
    def names(viewer, node=None):
        return {row["am"] for row in gather(viewer, node).rows if not is_subtotal(row)}

    assert names(account_manager) == {account_manager.full_name}
    assert other_manager.full_name not in names(supervisor)
    assert names(other_supervisor) == {other_manager.full_name}
    assert names(branch_head, org.tm3) == {other_manager.full_name}


def test_query_count_does_not_grow(visits, branch_head, org):
    def count():
        branch_head.__dict__.pop("_amdesk_scope", None)
        with CaptureQueriesContext(connection) as captured:
            gather(branch_head)
        return len(captured)

    before = count()
    for n in range(5):
        person = StaffFactory(username=f"v{n}", org_node=org.tm2)
        make_client(person, f"客户{n}", tier="ordinary")
    assert count() == before
