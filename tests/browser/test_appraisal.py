"""Appraisal journeys in the browser. The appraisal admin builds a scheme from nothing (criteria,
indicators of the library, a judgment with CR shown live), activates it, opens last month's period
from his overview, runs it; the supervisor hands in both of his teams' sheets; the admin approves and
the period is locked. The account manager then opens his score and reads why it is what it is."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from amdesk.appraisal.models import AppraisalPeriod, Indicator, ManualValue, ScoreCard
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Assertions wait as long as actions do (the suite may run on a busy machine; nothing sleeps).
expect.set_options(timeout=20_000)


def _context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)  # generous: the suite may run on a busy machine
    return context


def _add_criterion(page, name: str) -> None:
    form = page.get_by_test_id("add-criterion")
    form.locator("input[name=name]").fill(name)
    form.get_by_role("button").click()
    page.get_by_role("heading", level=2, name=re.compile(f"^{name}")).wait_for()


def _add_indicator(page, criterion: str, indicator: Indicator) -> None:
    section = page.locator(
        "section", has=page.get_by_role("heading", level=2, name=re.compile(f"^{criterion}"))
    )
    form = section.locator("form[data-testid^=add-indicator-]")
    form.locator("select[name=indicator]").select_option(str(indicator.pk))
    form.get_by_role("button").click()
    page.get_by_test_id(f"item-{indicator.code}").wait_for()


def test_the_admin_takes_a_new_scheme_to_an_approved_period_and_the_am_reads_his_score(
    live_server, browser, appraisal_admin, supervisor, account_manager, team2_manager
):
    base = live_server.url
    profit = Indicator.objects.get(code="bank-simulated-profit")  # manual: entered per person
    contacts = Indicator.objects.get(code="bank-relationship-contacts")  # computed from visits

    # The appraisal admin starts from his overview and creates a scheme
    admin = _context(browser)
    page = admin.new_page()
    sign_in(page, base, "hr")
    page.goto(f"{base}/appraisal/")
    page.get_by_test_id("work-areas").wait_for()
    page.get_by_test_id("schemes-link").click()
    page.get_by_test_id("scheme-create").click()
    form = page.get_by_test_id("scheme-form")
    form.locator("input[name=code]").fill("am-monthly")
    form.locator("input[name=name]").fill("客户经理月度考核")
    form.locator("select[name=period_kind]").select_option("month")
    form.get_by_label("客户经理", exact=True).check()
    form.get_by_role("button").click()

    # Two criteria, an indicator of the library under each
    page.get_by_test_id("editor-title").wait_for()
    _add_criterion(page, "提升")
    _add_criterion(page, "保有")
    _add_indicator(page, "提升", profit)
    _add_indicator(page, "保有", contacts)

    # 提升 is judged twice as important as 保有: the weights follow live, CR stays 0
    matrix = page.get_by_test_id("matrix-criteria")
    before = matrix.element_handle()
    with page.expect_response(lambda response: "/edit/matrix/" in response.url):
        matrix.locator("select[name=a-0-1]").select_option("2")
    before.wait_for_element_state("hidden")
    expect(matrix).not_to_have_class(re.compile(r"\bhtmx-added\b"))  # wired up again by htmx
    expect(matrix.get_by_test_id("cr")).to_have_text("0.000")
    expect(matrix.get_by_test_id("weight").first).to_have_text(re.compile(r"0\.66"))
    page.get_by_test_id("save-matrix-criteria").click()
    page.get_by_role("alert").wait_for()
    expect(page.get_by_test_id("activate")).to_be_enabled()
    page.get_by_test_id("activate").click()
    page.get_by_test_id("version-heading").wait_for()

    # Back on the overview, last month waits to be opened: open it and run it
    page.goto(f"{base}/appraisal/")
    page.get_by_test_id("to-open").get_by_role("button").click()
    page.get_by_test_id("period-title").wait_for()
    period = AppraisalPeriod.objects.get(version__scheme__code="am-monthly")
    for person, value in ((account_manager, 120), (team2_manager, 40)):
        ManualValue.objects.create(
            indicator=profit,
            staff=person,
            period_start=period.start,
            period_end=period.end,
            value=Decimal(value),
            entered_by=appraisal_admin,
        )
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("period-state")).to_have_text("已计算")
    expect(page.get_by_test_id("card-row-am")).to_be_visible()

    # The supervisor hands in both of his teams' sheets from his team page
    boss = _context(browser)
    sup_page = boss.new_page()
    sign_in(sup_page, base, "sup")
    sup_page.goto(f"{base}/appraisal/")
    for team in ("TM1", "TM2"):
        row = sup_page.get_by_test_id(f"team-{team}")
        row.get_by_test_id(f"sign-off-{team}").click()
        expect(sup_page.get_by_test_id(f"team-{team}").get_by_test_id("signed")).to_be_visible()
    boss.close()

    # The admin approves: the period is locked
    page.reload()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("period-state")).to_have_text("已审批（锁定）")
    expect(page.get_by_test_id("run")).to_have_count(0)
    admin.close()

    # The account manager opens his score: the number, his rank and why
    card = ScoreCard.objects.get(period=period, staff=account_manager)
    am = _context(browser)
    am_page = am.new_page()
    sign_in(am_page, base, "am")
    am_page.goto(f"{base}/appraisal/")
    expect(am_page.get_by_test_id("card-score")).to_have_text(str(card.score))
    expect(am_page.get_by_test_id("card-team-rank")).to_have_text("1 / 1")
    line = am_page.get_by_test_id(f"line-{profit.code}")
    expect(line).to_contain_text("120")
    expect(am_page.get_by_test_id(f"line-{contacts.code}")).to_be_visible()
    expect(am_page.get_by_test_id("raise-most")).to_be_visible()
    am.close()
