"""The weekly work arrangement in the browser: the account manager fills in this week's arrangement
and submits it; his supervisor opens the team board, sees it submitted and another account
manager's missing, opens it and marks it read with a comment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amdesk.planning.models import WeeklyArrangement
from amdesk.planning.services.plans import arrangement_due_at
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context


def test_am_submits_the_weeks_arrangement_and_the_supervisor_reads_it(
    live_server, browser, account_manager, team2_manager, supervisor
):
    base = live_server.url
    today = timezone.localdate()

    # The account manager opens this week's arrangement from the planning page and submits it
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, "am")
    page.goto(f"{base}/planning/")
    page.get_by_test_id("open-arrangement").click()
    form = page.get_by_test_id("plan-form")
    form.wait_for()
    assert page.get_by_test_id("plan-visits").is_visible()  # the week's visit schedule (none yet)
    page.locator("#id_info_focus").fill("到期理财客户的续作意向")
    page.locator("#id_product_focus").fill("手机银行绑卡")
    page.get_by_test_id("plan-submit").click()
    page.get_by_test_id("plan-read").wait_for()
    arrangement = WeeklyArrangement.objects.get(owner=account_manager)
    assert (
        arrangement.state == "submitted"
        and arrangement.week_start.isocalendar()[:2] == today.isocalendar()[:2]
    )
    context.close()

    # The supervisor's team board: submitted for am, missing for the other account manager
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/planning/board/")
    cell = page.get_by_test_id("board-arrangement-am")
    cell.wait_for()
    assert cell.locator("[data-state=submitted]").count() == 1
    # (missing once this week's arrangement is due; before that, not yet due)
    due = arrangement_due_at(today - timedelta(days=today.weekday()))
    state = "missing" if due <= timezone.now() else "not_due"
    assert page.get_by_test_id("board-arrangement-am_team2").locator(f"[data-state={state}]").count() == 1

    # He opens it and marks it read with a comment
    cell.locator("a").first.click()
    review = page.get_by_test_id("plan-review")
    review.wait_for()
    assert "手机银行绑卡" in page.get_by_test_id("plan-read").inner_text()
    review.locator("textarea").fill("重点客户请提前电话预约")
    review.get_by_test_id("plan-read-ok").click()
    page.get_by_test_id("log-comment").wait_for()
    arrangement.refresh_from_db()
    assert arrangement.state == "reviewed" and arrangement.reviewer == supervisor
    assert arrangement.comment == "重点客户请提前电话预约"
    context.close()
