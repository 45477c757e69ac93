"""One catalogue per industry (issue 14): the daily log's new-client lines are the performance sheet's
items (the performance items registered daily), not a second list of product lines; existing counts
move to the catalogue and the "new clients in the logs" indicator keeps summing them."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amdesk.planning.models import PerformanceItem
from amdesk.planning.selectors import opening_rows
from amdesk.planning.sources import SOURCES
from amdesk.presets import preset_apply
from tests.planning.factories import write_log

BEFORE = [("planning", "0004_indicator_sources_and_summary_figures")]


def registered() -> list[str]:
    """The performance sheet's rows: the items registered daily, in order."""
    return list(PerformanceItem.objects.filter(is_active=True, source="").values_list("name", flat=True))


@pytest.mark.django_db
def test_the_log_offers_the_performance_sheets_items(account_manager, client_for, time_machine):
    time_machine.move_to("2026-10-12 10:00 +08:00", tick=False)
    # The bank's catalogue: 保险, 网银, 电话银行, 手机银行, 信用卡, 借记卡（福农卡）, 基金
    names = [row["item"].name for row in opening_rows(None)]
    assert names == registered() and "借记卡（福农卡）" in names
    # not the client archive's product lines, nor the computed indicators
    assert "存款" not in names and "客户拜访" not in names
    html = client_for(account_manager).get("/planning/log/2026-10-09/").content.decode()
    assert 'id="id_opening-debit-card"' in html and 'id="id_opening-deposit"' not in html


@pytest.mark.django_db
def test_an_item_retired_or_of_another_industry_leaves_both_lists(account_manager):
    PerformanceItem.objects.filter(code="phone-banking").update(is_active=False)
    assert "电话银行" not in [row["item"].name for row in opening_rows(None)]
    preset_apply(actor=None, code="tobacco")
    names = [row["item"].name for row in opening_rows(None)]
    assert names == registered() == ["卷烟订货量", "订货金额", "新品铺货", "网上订货户", "终端建设"]


@pytest.mark.django_db
def test_a_log_keeps_a_count_of_an_item_retired_since(account_manager):
    log = write_log(account_manager, date(2026, 10, 9), openings={"fund": 2})
    PerformanceItem.objects.filter(code="fund").update(is_active=False)
    rows = {row["item"].code: row["count"] for row in opening_rows(log)}
    assert rows["fund"] == 2


@pytest.mark.django_db(transaction=True)
def test_existing_counts_by_product_line_move_to_the_catalogue(preset, account_manager):
    # Given logs written before: new clients counted by the archive's product lines
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    WorkLog = apps.get_model("planning", "WorkLog")
    WorkLogOpening = apps.get_model("planning", "WorkLogOpening")
    ProductLine = apps.get_model("clients", "ProductLine")
    due = "2026-10-09 12:00:00+00:00"
    log = WorkLog.objects.create(
        owner_id=account_manager.pk,
        org_node_id=account_manager.org_node_id,
        day=date(2026, 10, 9),
        state="submitted",
        due_at=due,
        submitted_at=due,
    )
    for code, count in (("fund", 2), ("insurance", 1), ("deposit", 3)):
        WorkLogOpening.objects.create(log=log, line=ProductLine.objects.get(code=code), count=count)

    # When the catalogue migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then each count is under the item of the same code, or an item of its own (inactive) for a
    # line the catalogue does not have, and the logs' indicator sums the same
    from amdesk.planning.models import WorkLogOpening as Opening

    counts = {
        row.item.code: (row.count, row.item.is_active) for row in Opening.objects.select_related("item")
    }
    assert counts == {"fund": (2, True), "insurance": (1, True), "deposit": (3, False)}
    assert PerformanceItem.objects.get(code="deposit").name == "存款"
    totals = SOURCES["log_new_clients"].totals([account_manager.pk], date(2026, 10, 1), date(2026, 10, 31))
    assert totals == {account_manager.pk: 6}
