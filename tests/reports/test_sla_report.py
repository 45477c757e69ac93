"""The service SLA report: its figures are the service KPI page's, per AM with team subtotals and a
total; scope by role; a fixed number of queries whatever the number of account managers."""

from datetime import date

import pytest
from django.http import Http404

from amdesk.reports.framework.base import REGISTRY, ReportPeriod
from amdesk.reports.framework.values import is_subtotal
from amdesk.reports.selectors import report_for
from amdesk.service.models import ServiceSettings
from amdesk.service.selectors import service_kpis
from tests.orgs.factories import StaffFactory

NOVEMBER = ReportPeriod.month(2026, 11)


def table_of(data):
    return next(b for b in data.sections[0].blocks if hasattr(b, "rows"))


def rows_by_name(table):
    return {row["am"]: row for row in table.rows if not is_subtotal(row)}


@pytest.mark.django_db
def test_rows_match_the_service_kpis_of_each_account_manager(tickets, branch_head, account_manager):
    # Given the November tickets; when the head reads the SLA report of November
    data = REGISTRY["service-sla"](viewer=branch_head, period=NOVEMBER).gather()
    table = table_of(data)
    rows = rows_by_name(table)
    # then each AM's row is service_kpis' row for him, computed independently
    kpis = service_kpis(viewer=branch_head, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert kpis.rows
    for expected in kpis.rows:
        row = next(r for r in table.rows if not is_subtotal(r) and r["am"] == expected.label)
        assert row["received"] == expected.received
        assert row["handled"] == expected.handled
        assert row["breaches"] == expected.breaches
        assert row["handling_rate"] == expected.handling_rate
        assert row["first_feedback_rate"] == expected.first_feedback_rate
        assert row["satisfaction_rate"] == expected.satisfaction_rate
    assert table.totals["received"] == kpis.total.received == 4
    assert table.totals["handling_rate"] == kpis.total.handling_rate
    assert rows[account_manager.full_name]["received"] == 2
    # three teams: a subtotal row after each
    assert [r["team"] for r in table.rows if is_subtotal(r)] == [
        "公司金融团队",
        "个人金融团队",
        "小微金融团队",
    ]


@pytest.mark.django_db
def test_targets_come_from_the_settings(tickets, supervisor):
    ServiceSettings.objects.filter(pk=1).update(satisfaction_target=77)
    data = REGISTRY["service-sla"](viewer=supervisor, period=NOVEMBER).gather()
    text = data.sections[0].blocks[0]
    assert "77%" in text.body and "6" in text.body


@pytest.mark.django_db
def test_scope_am_supervisor_other_supervisor_head(
    tickets,
    account_manager,
    team2_manager,
    other_manager,
    supervisor,
    other_supervisor,
    branch_head,
    org,
):
    def names(viewer, node=None):
        data = report_for(viewer, "service-sla", period="2026-11", node=node).gather()
        return set(rows_by_name(table_of(data)))

    assert names(account_manager) == {account_manager.full_name}
    assert names(supervisor) == {account_manager.full_name, team2_manager.full_name}
    assert names(other_supervisor) == {other_manager.full_name}
    assert names(branch_head) == {account_manager.full_name, team2_manager.full_name, other_manager.full_name}
    # the head drills down to one team
    assert names(branch_head, node=org.tm3.pk) == {other_manager.full_name}
    # a node outside the viewer's scope is not found
    with pytest.raises(Http404):
        report_for(other_supervisor, "service-sla", period="2026-11", node=org.tm1.pk)
    with pytest.raises(Http404):
        report_for(account_manager, "service-sla", period="2026-11", node=org.tm1.pk)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_account_managers(
    tickets,
    branch_head,
    org,
    django_assert_max_num_queries,
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        branch_head.__dict__.pop("_amdesk_scope", None)
        with CaptureQueriesContext(connection) as captured:
            REGISTRY["service-sla"](viewer=branch_head, period=NOVEMBER).gather()
        return len(captured)

    before = count()
    for n in range(6):
        StaffFactory(username=f"more{n}", full_name=f"新人{n}", org_node=org.tm2)
    assert count() == before
