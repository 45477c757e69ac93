"""The monthly client sales analysis report in the browser: the account manager opens last month's
report, writes b) and an adjusted forecast with a reason, submits; his supervisor opens it and returns
it with a comment; the account manager sees the comment; the PDF downloads."""

import pytest
from playwright.sync_api import expect

from amdesk.planning.models import MonthlySalesReport
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)

NOW = "2026-11-03 10:00 +08:00"  # October's report is due on 5 November


def _context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(20_000)
    return context


def test_am_submits_supervisor_returns_am_sees_the_comment_and_downloads_the_pdf(
    live_server, browser, time_machine, account_manager, supervisor
):
    time_machine.move_to(NOW, tick=True)
    base = live_server.url

    # The account manager opens his report (last month's) and writes it
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, account_manager.username)
    page.goto(f"{base}/planning/month/sales-report/")
    expect(page.get_by_test_id("msr-title")).to_contain_text("2026-10")
    expect(page.get_by_test_id("msr-section-a")).to_be_visible()
    expect(page.get_by_test_id("msr-method")).to_be_visible()  # how the forecast is made
    page.get_by_test_id("msr-text-problems").fill("两户理财到期转出他行；对策：上门拜访推介新产品。")
    page.get_by_test_id("msr-forecast-0").fill("15")
    page.get_by_test_id("msr-reason-0").fill("年末旺季")
    page.get_by_test_id("msr-submit").click()
    expect(page.get_by_test_id("msr-read-problems")).to_contain_text("两户理财到期")
    report = MonthlySalesReport.objects.get(owner=account_manager)
    assert report.state == "submitted"
    assert list(report.forecast.values()) == [{"value": "15.00", "reason": "年末旺季"}]
    context.close()

    # The supervisor opens it and returns it with a comment
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/planning/sales-reports/?month=2026-10")
    page.get_by_test_id(f"msr-team-{account_manager.username}").get_by_role("link").click()
    expect(page.get_by_test_id("msr-read-problems")).to_contain_text("两户理财到期")
    page.get_by_test_id("msr-comment").fill("请补充下月的挽回措施")
    page.get_by_test_id("msr-return").click()
    expect(page.get_by_test_id("log-comment")).to_contain_text("请补充下月的挽回措施")
    context.close()

    # The account manager sees the comment and downloads the PDF
    context = _context(browser)
    page = context.new_page()
    sign_in(page, base, account_manager.username)
    page.goto(f"{base}/planning/month/2026-10/sales-report/")
    expect(page.get_by_test_id("log-comment")).to_contain_text("请补充下月的挽回措施")
    expect(page.get_by_test_id("msr-text-problems")).to_have_value(
        "两户理财到期转出他行；对策：上门拜访推介新产品。"
    )
    with page.expect_download() as info:
        page.get_by_test_id("msr-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    context.close()
