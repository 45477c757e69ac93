"""API tokens: only a hash is kept, each user lists and revokes his own, and a token dies with the
password that obtained it (however the password changes) or the account's deactivation."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.accounts.models import ApiToken
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
NEW_PASSWORD = "Qiantang#2027"


def issue(user, password, name="") -> str:
    body = {"username": user.username, "password": password, "name": name}
    response = APIClient().post(TOKEN, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_with(key) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(key) -> bool:
    return api_with(key).get("/api/v1/me/").status_code == 200


class TestStoredHashed:
    def test_only_a_digest_and_a_prefix_are_stored(self, account_manager, password):
        key = issue(account_manager, password, name="报表脚本")
        token = ApiToken.objects.get()
        assert token.digest == hashlib.sha256(key.encode()).hexdigest()
        assert key not in (token.digest, token.prefix) and key.startswith(token.prefix)
        assert (token.user, token.name) == (account_manager, "报表脚本")
        assert len(key) >= 40  # 256 random bits

    def test_the_admin_shows_no_key_and_drf_tokens_are_gone(
        self, account_manager, admin, password, client_for
    ):
        key = issue(account_manager, password)
        browser = client_for(admin)
        page = browser.get("/admin/accounts/apitoken/")
        assert page.status_code == 200
        html = page.content.decode()
        assert key not in html and f"{key[:8]}…" in html and "API令牌" in html
        assert browser.get("/admin/authtoken/tokenproxy/").status_code == 404

    def test_the_admin_revokes_with_an_audit_entry(self, account_manager, admin, password, client_for):
        key = issue(account_manager, password)
        token = ApiToken.objects.get()
        response = client_for(admin).post(
            "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
        )
        assert response.status_code == 302
        assert not works(key)
        entry = AuditEntry.objects.get(event=AuditEvent.TOKEN_REVOKED)
        assert (entry.actor, entry.target_id, entry.detail["reason"]) == (
            admin,
            str(account_manager.pk),
            "revoked",
        )

    def test_each_request_gets_a_new_token_and_both_work(self, account_manager, password):
        first, second = issue(account_manager, password), issue(account_manager, password)
        assert first != second and works(first) and works(second)
        assert AuditEntry.objects.filter(event=AuditEvent.TOKEN_ISSUED, actor=account_manager).count() == 2

    def test_past_the_cap_the_oldest_token_goes(self, account_manager, password, settings):
        settings.AMDESK_API_TOKENS_PER_USER = 2
        keys = [issue(account_manager, password) for _ in range(3)]
        assert [works(key) for key in keys] == [False, True, True]

    def test_a_made_up_or_overlong_key_is_refused_in_the_error_format(self, account_manager, password):
        key = issue(account_manager, password)
        for wrong in (key[:-1] + ("A" if key[-1] != "A" else "B"), key[:8] + "x" * 35, "x" * 5000):
            response = api_with(wrong).get("/api/v1/me/")
            assert response.status_code == 401 and response.json()["code"] == "authentication_failed"

    def test_last_use_is_recorded(self, account_manager, password):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            key = issue(account_manager, password)
        with time_machine.travel(start + timedelta(minutes=5), tick=False):
            assert works(key)
        assert ApiToken.objects.get().last_used_at == start + timedelta(minutes=5)


class TestOwnTokens:
    def test_the_list_shows_the_callers_live_tokens_only(self, account_manager, supervisor, password):
        mine = issue(account_manager, password, name="日报脚本")
        issue(supervisor, password)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            rows = api_with(mine).get(TOKENS).json()["results"]
        assert len(rows) == 1
        row = rows[0]
        assert (row["name"], row["prefix"], row["current"]) == ("日报脚本", mine[:8], True)
        assert set(row) == {"id", "name", "prefix", "created_at", "expires_at", "last_used_at", "current"}
        # expired tokens are not listed
        with time_machine.travel(start + timedelta(hours=13), tick=False):
            fresh = issue(account_manager, password)
            assert [r["prefix"] for r in api_with(fresh).get(TOKENS).json()["results"]] == [fresh[:8]]

    def test_revoke_own_token_but_not_anothers(self, account_manager, supervisor, password):
        mine, spare = issue(account_manager, password), issue(account_manager, password)
        theirs = issue(supervisor, password)
        their_id = ApiToken.objects.get(user=supervisor).pk
        spare_id = ApiToken.objects.get(prefix=spare[:8]).pk
        api = api_with(mine)
        assert api.delete(f"{TOKENS}{their_id}/").status_code == 404
        assert works(theirs)
        assert api.delete(f"{TOKENS}{spare_id}/").status_code == 204
        assert not works(spare) and works(mine)
        assert api.delete(f"{TOKENS}{spare_id}/").status_code == 404
        assert api.delete(f"{TOKENS}{10**30}/").status_code == 404
        entry = AuditEntry.objects.get(event=AuditEvent.TOKEN_REVOKED)
        assert (entry.actor, entry.detail["prefix"]) == (account_manager, spare[:8])

    def test_anonymous_callers_get_nothing(self, db):
        assert APIClient().get(TOKENS).status_code == 401

    def test_the_page_lists_and_revokes_own_tokens(self, account_manager, supervisor, password, client_for):
        key = issue(account_manager, password, name="日报脚本")
        issue(supervisor, password, name="主管的脚本")
        browser = client_for(account_manager)
        html = browser.get("/accounts/tokens/").content.decode()
        assert "我的API令牌" in html and "日报脚本" in html and f"{key[:8]}…" in html
        assert "主管的脚本" not in html and key not in html
        their_id = ApiToken.objects.get(user=supervisor).pk
        assert browser.post(f"/accounts/tokens/{their_id}/revoke/").status_code == 404
        mine_id = ApiToken.objects.get(user=account_manager).pk
        response = browser.post(f"/accounts/tokens/{mine_id}/revoke/", follow=True)
        assert "已撤销" in response.content.decode() and not works(key)
        assert 'data-testid="no-tokens"' in response.content.decode()

    def test_the_account_menu_links_to_the_page(self, account_manager, client_for):
        assert 'href="/accounts/tokens/"' in client_for(account_manager).get("/").content.decode()


class TestRevokedWhenCredentialsChange:
    @pytest.fixture
    def key(self, account_manager, password):
        key = issue(account_manager, password)
        assert works(key)
        return key

    def revoked_for(self, user, reason) -> bool:
        return AuditEntry.objects.filter(
            event=AuditEvent.TOKEN_REVOKED, target_id=str(user.pk), detail__reason=reason
        ).exists()

    def test_by_the_password_change_form(self, key, account_manager, password, client_for):
        response = client_for(account_manager).post(
            "/accounts/password/",
            {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert not works(key) and self.revoked_for(account_manager, "password_changed")

    def test_by_the_admins_password_form(self, key, account_manager, admin, client_for):
        response = client_for(admin).post(
            f"/admin/orgs/staff/{account_manager.pk}/password/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        )
        assert response.status_code == 302, response.content[:300]
        assert not works(key)

    def test_by_set_password_anywhere(self, key, account_manager):
        account_manager.set_password(NEW_PASSWORD)
        account_manager.save(update_fields=["password"])
        assert not works(key)

    def test_not_by_other_saves(self, key, account_manager, password):
        account_manager.full_name = "苏婷"
        account_manager.save()
        assert works(key)
        # nor by signing in (last_login is saved) with the same password
        issue(account_manager, password)
        assert works(key)

    def test_when_he_leaves(self, key, account_manager, admin):
        from amdesk.orgs.services import staff_leave

        staff_leave(actor=admin, staff=account_manager)
        assert not ApiToken.objects.filter(user=account_manager).exists()
        assert self.revoked_for(account_manager, "deactivated")

    def test_when_he_is_deactivated_directly(self, key, account_manager):
        account_manager.is_active = False
        account_manager.save()
        assert not ApiToken.objects.filter(user=account_manager).exists()
        account_manager.is_active = True
        account_manager.save()
        assert not works(key)  # reactivation does not bring a token back
