"""The visit journey in the browser: on a phone-sized screen the account manager opens today's route,
records the visit with the client's signature, and his supervisor sees the record and its finding."""

import pytest
from django.utils import timezone

from amdesk.visits.models import ChecklistItem, ScheduleEntry, Visit, VisitFinding, VisitSchedule
from amdesk.visits.services import week_of
from tests.clients.factories import make_client
from tests.orgs.factories import PASSWORD
from tests.visits.factories import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def todays_route(account_manager):
    ChecklistItem.objects.update_or_create(
        code="bank-products", defaults={"name": "介绍产品", "is_active": True}
    )
    client = make_client(account_manager, "王小明", tier="key")
    place(client, 30.259, 120.130, "西湖区")
    today = timezone.localdate()
    schedule = VisitSchedule.objects.create(
        owner=account_manager,
        org_node=account_manager.org_node,
        week_start=week_of(today),
        state=VisitSchedule.State.REVIEWED,
    )
    return ScheduleEntry.objects.create(schedule=schedule, client=client, day=today, reason="overdue")


def test_record_a_visit_from_todays_route_with_a_signature(todays_route, live_server, browser, supervisor):
    base = live_server.url
    client = todays_route.client
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()

    # The account manager opens today's route on his phone and starts the record for the client
    sign_in(page, base, "am")
    page.goto(f"{base}/visits/")
    route = page.get_by_test_id("today-route")
    assert "王小明" in route.inner_text()
    route.get_by_test_id(f"record-{client.pk}").click()
    page.wait_for_url(f"{base}/visits/new/?client={client.pk}&entry={todays_route.pk}")

    # He ticks what was done, notes what the client said and suspected fraud next door
    page.get_by_text("介绍产品").click()
    page.get_by_label("客户意见建议").fill("希望增加理财产品的讲解")
    page.locator("summary").click()
    page.get_by_label("市场异常信息").fill("门口有人散发高息投资传单")
    page.get_by_label("疑似非法集资或诈骗").check()

    # The client signs on the screen with a finger
    canvas = page.get_by_test_id("signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 20)
    page.mouse.up()
    page.get_by_label("签字人").fill("王小明")
    page.get_by_test_id("visit-save").click()

    # The record is saved as planned and signed, with the signature image
    page.get_by_test_id("signed-badge").wait_for()
    visit = Visit.objects.get(client=client)
    assert visit.planned and visit.entry_id == todays_route.pk
    assert visit.signature.startswith("data:image/png;base64,") and visit.signer_name == "王小明"
    assert visit.checklist == ["bank-products"]
    assert page.get_by_test_id("signature-image").is_visible()
    context.close()

    # His supervisor sees the visit in the records and the suspected fraud waiting in his queue
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    # the anomaly written down and the kind ticked
    assert page.get_by_test_id("findings-open").inner_text() == "2"
    page.goto(f"{base}/visits/records/")
    assert "王小明" in page.get_by_test_id("visit-table").inner_text()
    page.goto(f"{base}/visits/findings/")
    finding = VisitFinding.objects.get(kind="common-suspected-fraud")
    item = page.get_by_test_id(f"finding-{finding.pk}")
    assert "门口有人散发高息投资传单" in item.inner_text()
    item.get_by_role("combobox").select_option("warning")
    item.get_by_test_id(f"finding-close-{finding.pk}").click()
    # The same page comes back: wait for its message, not for the URL (which already matches)
    page.get_by_role("alert").filter(has_text="处理结果").wait_for()
    finding.refresh_from_db()
    assert finding.outcome.code == "warning" and finding.closed_by_id == supervisor.pk
    context.close()
