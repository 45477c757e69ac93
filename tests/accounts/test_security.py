"""The security baseline: lockout, password rules, session limits, CSRF, CSP, escaping."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.models import AuditEntry

LOGIN = "/accounts/login/"


def fail_login(username, ip="10.0.0.1", client=None):
    client = client or Client(REMOTE_ADDR=ip)
    return client.post(LOGIN, {"username": username, "password": "wrong-Password-1"}, REMOTE_ADDR=ip)


class TestLockout:
    def test_four_failures_still_allow_the_right_password(self, account_manager, password):
        for _ in range(4):
            assert fail_login("am").status_code == 200
        response = Client().post(LOGIN, {"username": "am", "password": password})
        assert response.status_code == 302

    def test_fifth_failure_locks_with_a_chinese_message(self, account_manager):
        for _ in range(4):
            fail_login("am")
        response = fail_login("am")
        assert response.status_code == 429
        text = response.content.decode()
        assert "已被锁定" in text and "30" in text
        # The form keeps what was typed.
        assert 'value="am"' in text

    def test_lock_is_keyed_on_the_username_not_the_address(self, account_manager, password):
        # Given five failures, each from another address
        for n in range(5):
            fail_login("am", ip=f"10.0.0.{n + 1}")
        # When the right password comes from yet another address, it is still refused
        response = Client(REMOTE_ADDR="10.9.9.9").post(
            LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.9.9.9"
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in response.wsgi_request.session
        # … while another user from the first address signs in normally
        other = Client().post(LOGIN, {"username": "sup", "password": password}, REMOTE_ADDR="10.0.0.1")
        assert other.status_code == 302

    def test_lock_lifts_after_thirty_minutes(self, account_manager, password):
        for _ in range(5):
            fail_login("am")
        with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
            assert Client().post(LOGIN, {"username": "am", "password": password}).status_code == 429
        with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
            assert Client().post(LOGIN, {"username": "am", "password": password}).status_code == 302

    def test_success_resets_the_count(self, account_manager, password):
        for _ in range(4):
            fail_login("am")
        assert Client().post(LOGIN, {"username": "am", "password": password}).status_code == 302
        for _ in range(4):
            fail_login("am")
        assert Client().post(LOGIN, {"username": "am", "password": password}).status_code == 302

    def test_failures_and_lockout_are_audited_with_the_address(self, account_manager):
        for _ in range(5):
            fail_login("am", ip="192.168.7.8")
        failed = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, username="am")
        assert failed.count() == 5
        assert set(failed.values_list("ip", flat=True)) == {"192.168.7.8"}
        lockout = AuditEntry.objects.get(event=AuditEvent.LOCKOUT)
        assert (lockout.username, lockout.result, lockout.ip) == ("am", AuditResult.DENIED, "192.168.7.8")


class TestSignInAndOut:
    def test_sign_in_and_out_are_audited(self, account_manager, password):
        client = Client(REMOTE_ADDR="10.1.2.3")
        client.post(LOGIN, {"username": "am", "password": password}, REMOTE_ADDR="10.1.2.3")
        client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
        events = list(
            AuditEntry.objects.filter(actor=account_manager).order_by("id").values_list("event", "ip")
        )
        assert (AuditEvent.LOGIN, "10.1.2.3") in events
        assert (AuditEvent.LOGOUT, "10.1.2.3") in events

    def test_a_person_who_left_cannot_sign_in(self, account_manager, password, admin):
        from amdesk.orgs.services import staff_leave

        staff_leave(actor=admin, staff=account_manager)
        response = Client().post(LOGIN, {"username": "am", "password": password})
        assert response.status_code == 200
        assert "_auth_user_id" not in response.wsgi_request.session

    def test_leaving_ends_an_open_session(self, account_manager, admin, client_for):
        from amdesk.orgs.services import staff_leave

        client = client_for(account_manager)
        assert client.get("/").status_code == 200
        staff_leave(actor=admin, staff=account_manager)
        assert client.get("/").status_code == 302


class TestPasswordRules:
    @pytest.mark.parametrize(
        "candidate",
        [
            "Ab1!xyz",  # 7 characters
            "abcdefgh1",  # two classes only
            "ABCDEFGH!",  # two classes only
            "Password1",  # common
            "Su-tingyao1",  # like the username below
        ],
    )
    def test_weak_passwords_are_refused(self, db, candidate):
        from amdesk.orgs.models import Staff

        user = Staff(username="su-tingyao", employee_no="1", full_name="苏婷瑶")
        with pytest.raises(ValidationError):
            validate_password(candidate, user)

    @pytest.mark.parametrize("candidate", ["Hangzhou#88", "qiantang-2026", "WESTLAKE-lotus"])
    def test_strong_passwords_pass(self, db, candidate):
        from amdesk.orgs.models import Staff

        validate_password(candidate, Staff(username="am07", employee_no="10007", full_name="何强"))

    def test_the_change_form_explains_the_rule_in_chinese(self, account_manager, client_for, password):
        client = client_for(account_manager)
        response = client.post(
            "/accounts/password/",
            {"old_password": password, "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"},
        )
        assert response.status_code == 200
        assert "至少" in response.content.decode()


class TestSessionLimits:
    def test_thirty_minutes_idle_ends_the_session(self, account_manager, client_for):
        client = client_for(account_manager)
        with time_machine.travel(timezone.now() + timedelta(minutes=29)):
            assert client.get("/").status_code == 200
        # Activity renews the idle clock: 29 + 29 minutes is fine …
        with time_machine.travel(timezone.now() + timedelta(minutes=58)):
            assert client.get("/").status_code == 200
        # … but 31 minutes without a request is not.
        with time_machine.travel(timezone.now() + timedelta(minutes=90)):
            response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")

    def test_twelve_hours_end_even_an_active_session(self, account_manager, client_for):
        client = client_for(account_manager)
        start = timezone.now()
        for minutes in range(20, 12 * 60, 20):
            with time_machine.travel(start + timedelta(minutes=minutes)):
                assert client.get("/").status_code == 200, minutes
        with time_machine.travel(start + timedelta(hours=12, minutes=5)):
            response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert AuditEntry.objects.filter(event=AuditEvent.SESSION_EXPIRED, actor=account_manager).exists()


class TestBrowserProtections:
    def test_forms_need_a_csrf_token(self, account_manager, password):
        client = Client(enforce_csrf_checks=True)
        response = client.post(LOGIN, {"username": "am", "password": password})
        assert response.status_code == 403
        page = client.get(LOGIN)
        token = page.cookies["csrftoken"].value
        assert 'name="csrfmiddlewaretoken"' in page.content.decode()
        response = client.post(LOGIN, {"username": "am", "password": password, "csrfmiddlewaretoken": token})
        assert response.status_code == 302

    def test_pages_send_a_csp_without_inline_script(self, account_manager, client_for):
        response = client_for(account_manager).get("/")
        policy = response["Content-Security-Policy"]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'self'" in script_src
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert "<script>" not in response.content.decode()  # no inline script blocks

    def test_user_text_is_escaped(self, account_manager, client_for):
        account_manager.full_name = '<script>alert("x")</script>'
        account_manager.save(update_fields=["full_name"])
        body = client_for(account_manager).get("/").content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
