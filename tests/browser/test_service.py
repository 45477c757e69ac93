"""Service journeys in the browser. A complaint: the account manager opens it from a visit record,
gives first feedback and resolves it; the client rates the handling through the link on a phone;
his supervisor sees the ticket in the team's list and closes it. A quality feedback form: inspection
and cause, the client's signature, the supervisor's approval, the receipt of the replacement."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from amdesk.service.models import Ticket
from tests.browser.test_visits import sign_in
from tests.clients.factories import make_client
from tests.service.factories import open_ticket, walk
from tests.visits.factories import record_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_from_a_visit_to_the_clients_rating(live_server, browser, account_manager, supervisor):
    base = live_server.url
    client = make_client(account_manager, "王小明")
    # The visit ended minutes ago, whatever the hour the suite runs at: the ticket raised from it is
    # received at the visit's start, so "today at 10:00" would have used up the 6-hour first-feedback
    # clock by the afternoon (the page would say 已超时 instead of counting down).
    started = timezone.now() - timedelta(minutes=40)
    visit = record_visit(account_manager, client, opinions="理财到期款两天未到账", started_at=started)

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
    # beside it, the same link as a QR code the client may scan from the AM's screen
    assert page.get_by_test_id("rating-qr").locator("svg").bounding_box()["width"] > 100
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


def _draw_signature(page) -> None:
    """The client signs in the (only) signature box with a finger."""
    canvas = page.get_by_test_id("signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 20)
    page.mouse.up()


def _label(choice) -> str:
    """What the (Chinese) page shows for a choice, whatever the wording in the .po is today."""
    with translation.override("zh-hans"):
        return str(choice.label)


def _tablet(browser, base, username):
    context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="zh-CN", has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base, username)
    return context, page


def test_quality_feedback_from_inspection_to_resolution(live_server, browser, account_manager, supervisor):
    """商品及服务质量信息反馈单 (seed 000, 4.6): the AM inspects and records the cause, the client signs
    the form, the supervisor approves the replacement, it is handed over and the client signs the
    receipt, and the AM resolves the ticket."""
    base = live_server.url
    ticket = walk(
        open_ticket(account_manager, make_client(account_manager, "王店主"), ticket_type="quality"),
        account_manager,
        "give_first_feedback",
        "investigate",
    )
    context, page = _tablet(browser, base, "am")
    page.goto(f"{base}/service/{ticket.pk}/feedback/")

    # The inspection notes and the cause
    page.locator("#id_inspection_notes").fill("两条包装破损，内包装受潮")
    page.locator("#id_cause").fill("运输途中挤压")
    page.get_by_test_id("feedback-save").click()
    page.get_by_role("alert").filter(has_text="反馈单已保存").wait_for()
    assert page.locator("#id_inspection_notes").input_value() == "两条包装破损，内包装受潮"
    page.wait_for_load_state("load")  # the signature pad's script is ready

    # The client signs the form on the screen
    _draw_signature(page)
    page.locator("#form-signer").fill("王店主")
    page.get_by_test_id("sign-form-submit").click()
    signed = page.get_by_test_id("feedback-form-signature")
    signed.get_by_test_id("form-signature-image").wait_for()
    assert "王店主" in signed.inner_text()
    ticket.refresh_from_db()
    assert ticket.form_signature.startswith("data:image/png;base64,") and len(ticket.form_signature) > 500
    assert (ticket.inspection_notes, ticket.cause) == ("两条包装破损，内包装受潮", "运输途中挤压")

    # He proposes a replacement: the ticket waits for the supervisor
    proposal = page.get_by_test_id("action-request_approval")
    if proposal.get_attribute("open") is None:
        page.get_by_test_id("open-request_approval").click()
    proposal.locator("#id_request_approval_remedy").select_option("replacement")
    proposal.locator("#id_request_approval_remedy_detail").fill("调换同批次商品两条")
    proposal.get_by_test_id("do-request_approval").click()
    state = page.get_by_test_id("ticket-state")
    expect(state).to_have_text(_label(Ticket.State.AWAITING_APPROVAL))
    assert "调换同批次商品两条" in page.get_by_test_id("ticket-timeline").inner_text()
    assert page.get_by_test_id("no-actions").is_visible()  # approving is not his to do
    context.close()

    # His supervisor approves it from the same form
    context, page = _tablet(browser, base, supervisor.username)
    page.goto(f"{base}/service/")
    page.get_by_test_id("approvals-waiting").click()
    page.get_by_test_id(f"ticket-{ticket.pk}").get_by_role("link", name=ticket.number).click()
    page.get_by_test_id("feedback-link").click()
    approval = page.get_by_test_id("feedback-approval")
    expect(approval).to_contain_text("调换同批次商品两条")
    section = page.get_by_test_id("action-approve")
    if section.get_attribute("open") is None:
        page.get_by_test_id("open-approve").click()
    section.locator("#id_approve_note").fill("同意调换")
    section.get_by_test_id("do-approve").click()
    badge = page.get_by_test_id("approval")
    expect(badge).to_have_text(_label(Ticket.Approval.APPROVED))
    expect(page.get_by_test_id("ticket-state")).to_have_text(_label(Ticket.State.INVESTIGATING))
    context.close()

    # The replacement is handed over; the client signs the receipt
    context, page = _tablet(browser, base, "am")
    page.goto(f"{base}/service/{ticket.pk}/feedback/")
    receipt = page.get_by_test_id("feedback-receipt")
    receipt.get_by_test_id("sign-receipt").wait_for()
    page.wait_for_load_state("load")
    handed = timezone.localtime() - timedelta(hours=1)
    page.locator("#id_replacement_handed_at").fill(handed.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("feedback-save").click()
    page.get_by_role("alert").filter(has_text="反馈单已保存").wait_for()
    page.wait_for_load_state("load")
    _draw_signature(page)
    page.locator("#receipt-signer").fill("王店主")
    page.get_by_test_id("sign-receipt-submit").click()
    receipt.get_by_test_id("receipt-signature-image").wait_for()
    assert handed.strftime("%Y-%m-%d %H:%M") in receipt.inner_text()
    assert "同意调换" in page.get_by_test_id("feedback-approval").inner_text()

    # Resolved: the result fed back to the client
    page.get_by_role("link", name=ticket.number).first.click()
    resolve = page.get_by_test_id("action-resolve")
    resolve.wait_for()
    if resolve.get_attribute("open") is None:
        page.get_by_test_id("open-resolve").click()
    resolve.locator("#id_resolve_resolution").fill("已为客户调换两条并当面说明原因")
    resolve.locator("#id_resolve_is_valid_0").check()
    resolve.get_by_test_id("do-resolve").click()
    expect(page.get_by_test_id("ticket-resolution")).to_contain_text("已为客户调换两条并当面说明原因")
    expect(page.get_by_test_id("ticket-state")).to_have_text(_label(Ticket.State.RESOLVED))
    page.get_by_test_id("rating-section").wait_for()
    ticket.refresh_from_db()
    assert (
        ticket.state == Ticket.State.RESOLVED and ticket.receipt_signed and ticket.approved_by == supervisor
    )
    assert [e.action for e in ticket.events.order_by("at", "id")][-5:] == [
        "request_approval",
        "approve",
        "update",
        "sign_receipt",
        "resolve",
    ]
    context.close()
