"""The complaint journey in the browser: the account manager opens a complaint from a visit record,
gives first feedback and resolves it; the client rates the handling through the link on a phone;
his supervisor sees the ticket in the team's list and closes it."""

import re

import pytest

from amdesk.service.models import Ticket
from tests.browser.test_visits import sign_in
from tests.clients.factories import make_client
from tests.service.factories import open_ticket, walk
from tests.visits.factories import record_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_from_a_visit_to_the_clients_rating(live_server, browser, account_manager, supervisor):
    base = live_server.url
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, opinions="理财到期款两天未到账")

    # The account manager opens the visit record and raises a complaint from it
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, "am")
    page.goto(f"{base}/visits/{visit.pk}/")
    page.get_by_test_id("open-ticket").click()
    form = page.get_by_test_id("ticket-form")
    form.wait_for()
    assert "理财到期款两天未到账" in page.get_by_label("客户反映的问题").input_value()
    assert page.get_by_label("受理渠道").input_value() == "visit"
    page.get_by_label("主题").fill("理财到期款未到账")
    page.get_by_test_id("ticket-save").click()

    # The ticket's page: received, the 6-hour countdown running
    page.get_by_test_id("ticket-title").wait_for()
    ticket = Ticket.objects.get()
    assert ticket.visit_id == visit.pk and ticket.channel == "visit"
    assert re.search(r"剩余\d+小时", page.get_by_test_id("ticket-clock").inner_text())
    page.wait_for_load_state("load")
    # the countdown script took over the text (it marks what it updates)
    assert (
        page.get_by_test_id("ticket-clock").get_by_test_id("countdown").get_attribute("data-state") == "left"
    )

    # First feedback: what the client was told
    action = page.get_by_test_id("action-give_first_feedback")
    action.get_by_label("向客户首次反馈的内容").fill("已致电客户致歉，正在核实到账情况")
    action.get_by_test_id("do-give_first_feedback").click()
    page.get_by_test_id("action-resolve").wait_for()
    assert "已致电客户致歉" in page.get_by_test_id("ticket-timeline").inner_text()

    # Resolved as a valid complaint
    resolve = page.get_by_test_id("action-resolve")
    if resolve.get_attribute("open") is None:
        page.get_by_test_id("open-resolve").click()
    resolve.get_by_label("处理结果").fill("系统清算延迟，款项已到账并向客户说明")
    resolve.get_by_label("属实（有效投诉）").check()
    resolve.get_by_test_id("do-resolve").click()
    page.get_by_test_id("rating-section").wait_for()
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.RESOLVED and ticket.is_valid is True

    # He creates the one-time rating link for the client
    page.get_by_test_id("rating-link").click()
    url = page.get_by_test_id("rating-url").input_value()
    assert "/service/rate/" in url
    context.close()

    # The client opens it on a phone, without signing in, and gives five stars
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    page.goto(url)
    greeting = page.get_by_test_id("rate-greeting").inner_text()
    assert "王小明" not in greeting and "理财" not in page.content()
    page.locator("label[for=score-5]").click()
    page.get_by_label("您还想告诉我们的（选填）").fill("处理很及时")
    page.get_by_test_id("rate-submit").click()
    page.get_by_test_id("rate-thanks").wait_for()
    ticket.refresh_from_db()
    assert ticket.satisfaction == 5 and ticket.rated_via == "link"
    # the link works once
    page.goto(url)
    page.get_by_test_id("rate-unavailable").wait_for()
    phone.close()

    # The supervisor sees it in his team's tickets, with the rating, and closes it
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/service/?who=team&state=")
    page.get_by_test_id(f"ticket-{ticket.pk}").get_by_role("link", name=ticket.number).click()
    page.get_by_test_id("ticket-satisfaction").wait_for()
    assert "5/5" in page.get_by_test_id("ticket-satisfaction").inner_text()
    page.wait_for_load_state("load")
    close = page.get_by_test_id("action-close")
    if close.get_attribute("open") is None:
        page.get_by_test_id("open-close").click()
    close.get_by_label("备注（客户未确认时必填）").fill("客户已通过链接评价，办结")
    close.get_by_test_id("do-close").click()
    page.get_by_role("alert").filter(has_text="已办理").wait_for()
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED and ticket.satisfaction == 5
    context.close()


def test_the_client_signs_the_quality_feedback_form_on_the_phone(live_server, browser, account_manager):
    base = live_server.url
    ticket = walk(
        open_ticket(account_manager, make_client(account_manager, "王店主"), ticket_type="quality"),
        account_manager,
        "give_first_feedback",
        "investigate",
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, "am")
    page.goto(f"{base}/service/{ticket.pk}/feedback/")
    page.wait_for_load_state("load")

    # The inspection notes and the cause
    page.get_by_label("现场查看情况").fill("两条包装破损，内包装受潮")
    page.get_by_label("原因分析").fill("运输途中挤压")
    page.get_by_test_id("feedback-save").click()
    page.get_by_role("alert").filter(has_text="反馈单已保存").wait_for()
    page.wait_for_load_state("load")

    # The client signs the form on the screen with a finger
    canvas = page.get_by_test_id("signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 20)
    page.mouse.up()
    page.locator("#form-signer").fill("王店主")
    page.get_by_test_id("sign-form-submit").click()
    page.get_by_test_id("form-signature-image").wait_for()
    ticket.refresh_from_db()
    assert ticket.inspection_notes == "两条包装破损，内包装受潮" and ticket.cause == "运输途中挤压"
    assert ticket.form_signature.startswith("data:image/png;base64,") and ticket.form_signer_name == "王店主"
    assert len(ticket.form_signature) > 500  # a real drawing, not an empty pad
    context.close()
