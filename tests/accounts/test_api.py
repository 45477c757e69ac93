"""The token API, /me, and the one error format."""

from rest_framework.test import APIClient

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry

TOKEN = "/api/v1/auth/token/"


def token_for(user, password) -> str:
    response = APIClient().post(TOKEN, {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_token_then_me(account_manager, password):
    from amdesk.orgs.models import LadderGrade
    from amdesk.orgs.services import staff_set_grade

    staff_set_grade(
        actor=None,
        staff=account_manager,
        grade=LadderGrade.objects.get(code="director-2"),
        effective_on=account_manager.date_joined.date(),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(account_manager, password)}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "am"
    assert me["name"] == "苏婷瑶"
    assert me["employee_no"] == account_manager.employee_no
    assert me["roles"] == [{"code": "account_manager", "name": "客户经理"}]
    assert me["org_node"]["name"] == "公司金融团队"
    assert me["ladder_grade"] == {"code": "director-2", "name": "客户主任二级", "tier": 2}
    assert AuditEntry.objects.filter(event=AuditEvent.TOKEN_ISSUED, actor=account_manager).exists()


def test_wrong_password_uses_the_error_format_in_chinese(account_manager):
    response = APIClient().post(TOKEN, {"username": "am", "password": "nope"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "用户名或密码错误" in body["fields"]["non_field_errors"][0]
    assert body["message"]


def test_missing_fields_are_named(db):
    body = APIClient().post(TOKEN, {"username": "am"}, format="json").json()
    assert set(body["fields"]) == {"password"}


def test_errors_follow_the_callers_language(account_manager):
    response = APIClient().post(
        TOKEN, {"username": "am", "password": "nope"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "wrong" in response.json()["fields"]["non_field_errors"][0]


def test_lockout_applies_to_the_api(account_manager, password):
    client = APIClient()
    for _ in range(4):
        assert client.post(TOKEN, {"username": "am", "password": "nope"}, format="json").status_code == 400
    fifth = client.post(TOKEN, {"username": "am", "password": "nope"}, format="json")
    assert fifth.status_code == 429
    assert fifth.json()["code"] == "account_locked"
    assert "已被锁定" in fifth.json()["message"]
    right = client.post(TOKEN, {"username": "am", "password": password}, format="json")
    assert right.status_code == 429


def test_unauthenticated_calls_get_the_error_format(db):
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_a_token_stops_working_when_its_owner_leaves(account_manager, password, admin):
    from amdesk.orgs.services import staff_leave

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(account_manager, password)}")
    assert client.get("/api/v1/me/").status_code == 200
    staff_leave(actor=admin, staff=account_manager)
    assert client.get("/api/v1/me/").status_code == 401


def test_tokens_expire_after_twelve_hours(account_manager, password):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    key = token_for(account_manager, password)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(timezone.now() + timedelta(hours=11)):
        assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=13)):
        response = client.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
        # signing in again gives a fresh token that works
        fresh = token_for(account_manager, password)
        assert fresh != key
        client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
        assert client.get("/api/v1/me/").status_code == 200
