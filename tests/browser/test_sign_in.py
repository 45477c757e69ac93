"""am01 signs in through the form and reaches his desk."""

import pytest

from amdesk.demo.builder import DemoBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    return DemoBuilder(industry="bank", seed=2026).run()


def test_account_manager_signs_in_and_sees_his_desk(demo, live_server, page, settings):
    am01 = next(login for login in demo.logins if login.username == "am01")
    page.goto(f"{live_server.url}/")
    # Sent to the sign-in page, in Chinese
    assert "/accounts/login/" in page.url
    assert page.get_by_role("button", name="登录").is_visible()
    page.get_by_label("用户名").fill("am01")
    page.get_by_label("密码").fill(settings.AMDESK_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    # His desk: title, name, team, and navigation without the admin
    assert page.get_by_test_id("desk-title").inner_text() == "我的工作台"
    profile = page.get_by_test_id("profile-card").inner_text()
    assert am01.full_name in profile and am01.org_node in profile
    assert page.get_by_role("link", name="系统管理").count() == 0
    # Styles and scripts loaded from the server itself (Bootstrap's navbar colour applies)
    background = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_wrong_password_keeps_the_username_and_says_why(demo, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("am01")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.content()
    assert page.get_by_label("用户名").input_value() == "am01"


def test_desk_fits_a_tablet(demo, live_server, browser, settings):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("sup1")
    page.get_by_label("密码").fill(settings.AMDESK_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("team-card").is_visible()
    # No sideways scrolling on a tablet
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
