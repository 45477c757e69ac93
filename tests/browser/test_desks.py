"""Each role's desk in the browser: its charts are drawn (desk.js marks each data-drawn) and the
"Table" button swaps a chart for its table and back."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from amdesk.clients.models import AumSnapshot
from amdesk.desk.services import desk_figures_refresh
from tests.browser.test_visits import sign_in
from tests.clients.factories import make_client
from tests.service.factories import make_service_desk, open_ticket
from tests.visits.factories import record_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)

WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CHARTS = {
    "am": ["overdue_by_tier"],
    "sup": ["team_kpis", "visit_heatmap", "sla_status", "submissions"],
    "head": ["aum_trend", "visit_trend", "team_compare", "tier_mix"],
    "desk": ["sla_status"],
}


def test_each_role_desk_draws_its_charts_and_shows_their_tables(
    live_server, browser, time_machine, org, account_manager, team2_manager, supervisor, branch_head
):
    time_machine.move_to(WEDNESDAY, tick=True)
    today = WEDNESDAY.date()
    # Given clients with visits, month-end AUM and a ticket, and the desks' figures refreshed
    for owner in (account_manager, team2_manager):
        for index, tier in enumerate(("key", "ordinary")):
            client = make_client(owner, name=f"客户{owner.pk}{index}", tier=tier)
            record_visit(owner, client, today - timedelta(days=8 + index))
            AumSnapshot.objects.create(
                client=client, as_of=today.replace(day=1) - timedelta(days=1), amount=Decimal(50000)
            )
        open_ticket(owner, client)
    service_desk = make_service_desk(org)
    desk_figures_refresh(today=today)

    for username, charts in CHARTS.items():
        username = service_desk.username if username == "desk" else username
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server.url, username)
        for key in charts:
            canvas = page.locator(f'[data-desk-chart="{key}"]')
            expect(canvas).to_have_attribute("data-drawn", "1")
            expect(canvas.locator("svg")).to_have_count(1)
        # The first chart's table view, and back
        key = charts[0]
        page.get_by_test_id(f"chart-toggle-{key}").click()
        expect(page.get_by_test_id(f"chart-table-{key}")).to_be_visible()
        expect(page.locator(f'[data-desk-chart="{key}"]')).to_be_hidden()
        page.get_by_test_id(f"chart-toggle-{key}").click()
        expect(page.get_by_test_id(f"chart-table-{key}")).to_be_hidden()
        expect(page.locator(f'[data-desk-chart="{key}"]')).to_be_visible()
        if username in ("sup", "head"):
            # The cards that read the pre-aggregated figures say when they were refreshed
            expect(page.get_by_test_id("as-of").first).to_contain_text("截至")
        context.close()
