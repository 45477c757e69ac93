"""Sign-in throttling by address (beside axes' lock by username), the locked accounts the system
admin sees and unlocks, and the caps on what the sign-in fields accept."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.orgs.factories import StaffFactory

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
WINDOW_START = timezone.datetime(2026, 12, 7, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture
def clock(time_machine):
    """Frozen 60 seconds into a five-minute window of the address limit."""
    time_machine.move_to(WINDOW_START + timedelta(seconds=60), tick=False)
    return time_machine


@pytest.fixture
def limits(settings):
    settings.AMDESK_SIGN_IN_FAILURES_PER_ADDRESS = 20
    settings.AMDESK_SIGN_IN_WINDOW_SECONDS = 300
    return settings


@pytest.fixture
def many_users(org):
    return [StaffFactory(username=f"u{n:02d}", org_node=org.tm1) for n in range(21)]


def fail(username, ip):
    return Client().post(LOGIN, {"username": username, "password": "Spring-2026!"}, REMOTE_ADDR=ip)


class TestByAddress:
    def test_one_password_against_every_user_is_stopped(
        self, clock, limits, many_users, account_manager, password
    ):
        # Given 20 failures from one address, each against another user (none of them locked)
        for user in many_users[:20]:
            assert fail(user.username, "10.0.0.1").status_code == 200
        # When the 21st try comes from it, even with the right password, it is refused unchecked
        refused = Client().post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "240"
        html = refused.content.decode()
        assert "该地址登录失败次数过多，请 4 分钟后再试" in html and 'value="am"' in html
        assert "_auth_user_id" not in refused.wsgi_request.session
        assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).count() == 20  # no password checked
        # … another address is not held back
        assert (
            Client().post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.0.0.2").status_code
            == 302
        )
        # … and once the window is over, the address may try again
        clock.move_to(WINDOW_START + timedelta(seconds=300), tick=False)
        allowed = Client().post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.0.0.1")
        assert allowed.status_code == 302

    def test_the_token_api_is_limited_in_the_error_format(
        self, clock, limits, many_users, account_manager, password
    ):
        api = APIClient()
        for user in many_users[:20]:
            body = {"username": user.username, "password": "Spring-2026!"}
            assert api.post(TOKEN, body, format="json", REMOTE_ADDR="10.0.0.7").status_code == 400
        refused = api.post(
            TOKEN, {"username": "am", "password": password}, format="json", REMOTE_ADDR="10.0.0.7"
        )
        assert refused.status_code == 429 and refused["Retry-After"] == "240"
        assert refused.json() == {
            "code": "throttled",
            "message": "该地址登录失败次数过多，请 4 分钟后再试。",
            "fields": {},
        }

    def test_form_and_api_failures_add_up(self, clock, limits, many_users):
        for user in many_users[:10]:
            fail(user.username, "10.0.0.3")
        for user in many_users[10:20]:
            body = {"username": user.username, "password": "x"}
            APIClient().post(TOKEN, body, format="json", REMOTE_ADDR="10.0.0.3")
        assert fail("u20", "10.0.0.3").status_code == 429

    def test_successful_sign_ins_do_not_count(self, clock, limits, account_manager, password):
        # a whole outlet signs in through one proxy address at nine
        for _ in range(25):
            response = Client().post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.0.0.4")
            assert response.status_code == 302

    def test_a_throttled_address_can_no_longer_lock_accounts(self, clock, limits, many_users, settings):
        settings.AMDESK_SIGN_IN_FAILURES_PER_ADDRESS = 4
        for _ in range(6):
            fail("u00", "10.0.0.5")
        # four failures counted by axes, the rest refused before it: u00 is not locked
        assert not AuditEntry.objects.filter(event=AuditEvent.LOCKOUT).exists()

    def test_the_per_user_lockout_still_applies(self, clock, limits, account_manager, password):
        for n in range(5):
            fail("am", f"10.0.1.{n}")
        response = Client().post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.0.2.1")
        assert response.status_code == 429 and "已被锁定" in response.content.decode()


class TestLockedAccounts:
    LIST = "/admin/accounts/lockedaccount/"

    def lock(self, username):
        for n in range(5):
            fail(username, f"10.0.3.{n}")

    def test_the_system_admin_sees_locked_real_users_in_chinese(
        self, clock, account_manager, admin, client_for
    ):
        self.lock("am")
        self.lock("nobody-of-ours")
        fail("sup", "10.0.3.9")  # one failure is not a lock
        html = client_for(admin).get(self.LIST).content.decode()
        assert "被锁定的账户" in html and "登录失败次数" in html and "锁定至" in html
        assert "苏婷瑶" in html and "10.0.3.4" in html
        assert "nobody-of-ours" not in html and "雷勇" not in html
        # the lock lifts after the cool-off: the list forgets him too
        clock.move_to(WINDOW_START + timedelta(minutes=40), tick=False)
        assert "苏婷瑶" not in client_for(admin).get(self.LIST).content.decode()

    def test_unlock_is_audited_and_lets_him_in(self, clock, account_manager, admin, client_for, password):
        self.lock("am")
        browser = client_for(admin)
        rows = browser.get(self.LIST).context["cl"].result_list
        response = browser.post(self.LIST, {"action": "unlock", "_selected_action": [row.pk for row in rows]})
        assert response.status_code == 302
        assert Client().post(LOGIN, {"username": "am", "password": password}).status_code == 302
        entry = AuditEntry.objects.get(event=AuditEvent.ACCOUNT_UNLOCKED)
        assert (entry.actor, entry.target_id, entry.detail["attempts_removed"]) == (
            admin,
            str(account_manager.pk),
            5,
        )

    def test_an_account_manager_cannot_see_the_list(self, account_manager, client_for):
        assert client_for(account_manager).get(self.LIST).status_code in (302, 403)


class TestFieldCaps:
    def test_an_overlong_password_is_refused_without_checking(self, account_manager):
        response = Client().post(LOGIN, {"username": "am", "password": "x" * 1_000_000})
        assert response.status_code == 200
        assert "256" in response.content.decode()
        assert not AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).exists()

    def test_an_overlong_username_is_refused(self, account_manager):
        response = Client().post(LOGIN, {"username": "a" * 100_000, "password": "x"})
        assert response.status_code == 200 and "150" in response.content.decode()
        # refused by the form: no sign-in was tried (nothing for the lockout to record)
        assert not AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).exists()

    def test_the_api_names_the_overlong_fields(self, db):
        body = {"username": "a" * 151, "password": "x" * 257, "name": "n" * 61}
        response = APIClient().post(TOKEN, body, format="json")
        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"username", "password", "name"}

    def test_the_password_change_form_caps_the_new_password(self, account_manager, client_for, password):
        long = "Aa1!" * 100
        response = client_for(account_manager).post(
            "/accounts/password/", {"old_password": password, "new_password1": long, "new_password2": long}
        )
        assert response.status_code == 200 and "256" in response.content.decode()
