"""The bell and the inbox in the browser: a supervisor sees his unread count on the bell, opens
the bell's list, marks one read (the badge goes down by one), then opens the inbox and follows the
work log waiting for him to read."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from amdesk.notifications.kinds import DOCUMENT_DUE, HANDOVER_RECEIVED
from amdesk.notifications.models import Notification
from amdesk.notifications.services import Draft, notifications_create
from tests.browser.test_visits import sign_in
from tests.notifications.conftest import NOW
from tests.planning.factories import last_working_day, write_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


def test_supervisor_bell_and_inbox(clock, live_server, page, supervisor, team2_manager):
    # Given two unread notifications and a work log of his team handed in
    notifications_create(
        drafts=[
            Draft(supervisor.pk, DOCUMENT_DUE, "a", "月度工作计划明天到期"),
            Draft(supervisor.pk, HANDOVER_RECEIVED, "b", "2 位客户移交给您"),
        ]
    )
    log = write_log(team2_manager, day=last_working_day(), submit=True)
    base = live_server.url

    sign_in(page, base, supervisor.username)
    badge = page.get_by_test_id("bell-badge")
    expect(badge).to_contain_text("2")
    expect(page.get_by_test_id("nav-inbox-count")).to_have_text("1")

    # He opens the bell and marks one read: the badge shows 1
    page.get_by_test_id("nav-bell").click()
    bell = page.get_by_test_id("bell-list")
    expect(bell).to_contain_text("2 位客户移交给您")
    one = Notification.objects.get(user=supervisor, key="b")
    bell.get_by_test_id(f"mark-read-{one.pk}").click()
    expect(page.get_by_test_id(f"notification-{one.pk}")).to_have_attribute("data-read", "1")
    expect(badge).to_contain_text("1")
    one.refresh_from_db()
    assert one.read_at is not None

    # He opens the inbox and follows the work log to read
    page.get_by_test_id("nav-inbox").click()
    section = page.get_by_test_id("inbox-documents_to_read")
    expect(section.get_by_test_id("inbox-count-documents_to_read")).to_have_text("1")
    section.get_by_test_id("inbox-item").first.click()
    page.wait_for_url(f"**{log.get_absolute_url()}")


def test_account_manager_sees_documents_due_and_not_started(clock, live_server, page, account_manager):
    # Given an account manager who has not started last month's sales analysis report nor today's log
    sign_in(page, live_server.url, account_manager.username)
    expect(page.get_by_test_id("nav-inbox-count")).to_have_text(re.compile(r"^\d+$"))

    # He opens the inbox: the documents due and not started are there, the report overdue
    page.get_by_test_id("nav-inbox").click()
    section = page.get_by_test_id("inbox-my_documents_not_started")
    expect(section).to_contain_text("2026-02")
    report = section.locator('a[href$="/month/2026-02/sales-report/"]')
    expect(report).to_have_count(1)
    report.click()
    page.wait_for_url("**/month/2026-02/sales-report/")
