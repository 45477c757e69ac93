"""The client archive's main journey, in the browser.

An account manager finds a client by pinyin initials, opens the archive, reveals the mobile
with a reason, and adds a stakeholder; his supervisor then hands the client over to another
account manager, who sees it with its history, while the first no longer finds it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from amdesk.clients.models import Product
from amdesk.clients.services import aum_record, holding_set
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client
from tests.orgs.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def archive(account_manager, team2_manager, other_manager):
    mine = make_client(account_manager, "王小明", mobile="13812345678", tier="key", address="杭州市文三路8号")
    holding_set(
        actor=account_manager,
        client=mine,
        product=Product.objects.get(code="time-deposit"),
        balance=Decimal("800000"),
    )
    today = date.today()
    for months_ago, amount in enumerate([820000, 790000, 760000, 700000]):
        aum_record(
            actor=account_manager,
            client=mine,
            as_of=today - timedelta(days=30 * months_ago),
            amount=Decimal(amount),
        )
    make_client(account_manager, "张三丰")
    make_client(other_manager, "王小红")  # another team's client with similar initials
    return mine


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def test_find_reveal_add_contact_then_hand_over(archive, live_server, browser, supervisor, team2_manager):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()

    # The account manager searches his clients by pinyin initials
    sign_in(page, base, "am")
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_test_id("client-search").fill("wxm")
    table = page.get_by_test_id("client-table")
    table.get_by_role("link", name="张三丰").wait_for(state="detached")
    assert table.get_by_role("link", name="王小明").is_visible()
    assert "王小红" not in table.inner_text()  # another team's client never shows up

    # He narrows the list to his key clients with the tier picker, which offers the preset's tiers
    page.get_by_test_id("client-search").fill("")
    table.get_by_role("link", name="张三丰").wait_for()
    page.get_by_label("客户分层", exact=True).select_option(label="重点客户")
    table.get_by_role("link", name="张三丰").wait_for(state="detached")
    assert table.get_by_role("link", name="王小明").is_visible()

    # He opens the archive: the mobile is masked until he gives a reason to see it
    table.get_by_role("link", name="王小明").click()
    # htmx is a deferred script: wait for the page's load before clicking its buttons
    page.wait_for_url(f"{base}/clients/{archive.pk}/")
    assert page.get_by_test_id("client-tier").inner_text() == "重点客户"
    assert page.get_by_test_id("mobile").inner_text().startswith("138****5678")
    page.get_by_test_id("reveal-mobile").click()
    page.get_by_test_id("reveal-reason").fill("客户来电，核实身份")
    page.get_by_test_id("reveal-submit").click()
    assert page.get_by_test_id("revealed").inner_text() == "13812345678"
    assert AuditEntry.objects.filter(event=AuditEvent.PERSONAL_DATA_REVEALED, username="am").count() == 1
    # The AUM chart is drawn from local ECharts
    page.locator("[data-chart=aum] svg").wait_for()

    # He adds the client's decision maker as a contact
    page.get_by_test_id("contact-add").click()
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("在客户处的角色").fill("财务总监")
    page.get_by_label("决策人").check()
    page.get_by_label("立场").select_option("supportive")
    page.get_by_test_id("save").click()
    page.locator("#contacts").get_by_text("王建国").wait_for()  # the client page again, not the form
    context.close()

    # His supervisor ticks the client on the list and hands it over to a colleague
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/clients/")
    page.get_by_role("checkbox", name="王小明").check()
    page.get_by_test_id("bulk-handover").click()
    page.get_by_label("移交给").select_option(str(team2_manager.pk))
    page.get_by_label("原因").fill("客户经理岗位调整")
    page.get_by_test_id("handover-submit").click()
    page.get_by_text(f"已将 1 位客户移交给 {team2_manager.full_name}").wait_for()
    context.close()

    # The colleague now has the client, with its owner history and the contact
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, team2_manager.username)
    page.goto(f"{base}/clients/{archive.pk}/")
    history = page.get_by_test_id("owner-history").inner_text()
    assert "苏婷瑶" in history and team2_manager.full_name in history and "客户经理岗位调整" in history
    assert "王建国" in page.locator("#contacts").inner_text()
    context.close()

    # …and the first account manager no longer finds it
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, "am")
    assert page.goto(f"{base}/clients/{archive.pk}/").status == 404
    context.close()
