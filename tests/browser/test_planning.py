"""Plans and logs in the browser: an account manager fills in today's work log (a draft) and the
day's figures in the month grid (typed, Enter moves down), then submits the log; his supervisor
opens the team view, reads the log and returns it with a comment; the account manager sees it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from amdesk.planning.models import PerformanceEntry, WorkLog
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context


def test_am_logs_the_day_and_the_supervisor_returns_it(live_server, browser, account_manager, supervisor):
    base = live_server.url
    today = timezone.localdate()

    # The account manager opens today's log from the desk
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, "am")
    page.get_by_test_id("desk-log-today").click()
    form = page.get_by_test_id("log-form")
    form.wait_for()
    page.locator("#id_opening-fund").fill("2")
    page.locator("#id_prospects_visited").fill("3")
    page.locator("#id_counter_consultations").fill("15")
    page.locator("#id_phone_consultations").fill("4")
    page.locator("#id_cooperation").fill("与大堂经理配合推荐手机银行")
    page.locator("#id_problems").fill("网银U盾库存不足")
    page.get_by_test_id("log-save").click()
    page.get_by_role("alert").wait_for()
    assert WorkLog.objects.get(owner=account_manager, day=today).state == "draft"

    # Then the day's performance in the month grid: typed, Enter moves down to the next item
    page.goto(f"{base}/planning/performance/")
    grid = page.get_by_test_id("performance-grid")
    grid.wait_for()
    first = page.get_by_test_id(f"cell-{today.isoformat()}-insurance")
    first.click()
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")
    page.keyboard.type("3")  # online banking, the next item of the same day
    page.keyboard.press("Enter")
    assert page.get_by_test_id("total-insurance").inner_text() == "2.5"  # totals follow the typing
    page.get_by_test_id("performance-save").click()
    page.get_by_role("alert").filter(has_text="2").wait_for()
    assert dict(PerformanceEntry.objects.values_list("item__code", "value")) == {
        "insurance": Decimal("2.5"),
        "online-banking": Decimal("3"),
    }
    assert page.get_by_test_id(f"cell-{today.isoformat()}-online-banking").input_value() == "3"

    # Back to the draft: as he left it; he submits it
    page.goto(f"{base}/planning/log/")
    page.get_by_test_id("log-form").wait_for()
    assert page.locator("#id_opening-fund").input_value() == "2"
    assert page.locator("#id_problems").input_value() == "网银U盾库存不足"
    page.get_by_test_id("log-submit").click()
    page.get_by_test_id("log-read").wait_for()
    log = WorkLog.objects.get(owner=account_manager, day=today)
    assert log.state == "submitted" and log.counter_consultations == 15
    context.close()

    # The supervisor sees it on the team view, reads it and returns it with a comment
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/planning/team/")
    row = page.get_by_test_id("team-row-am")
    row.wait_for()
    assert row.locator("[data-state=submitted]").count() == 1
    row.get_by_test_id("open-log-am").click()
    review = page.get_by_test_id("log-review")
    review.wait_for()
    assert "网银U盾库存不足" in page.get_by_test_id("log-fields").inner_text()
    review.locator("textarea").fill("请写明U盾缺多少、何时到货")
    review.get_by_test_id("review-return").click()
    page.get_by_test_id("log-comment").wait_for()
    log.refresh_from_db()
    assert log.state == "returned" and log.reviewer == supervisor
    context.close()

    # The account manager finds the comment on today's log and may change it again
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, "am")
    page.goto(f"{base}/planning/log/")
    comment = page.get_by_test_id("log-comment")
    comment.wait_for()
    assert "请写明U盾缺多少" in comment.inner_text()
    assert page.get_by_test_id("log-form").is_visible()
    context.close()
