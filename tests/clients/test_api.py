"""The client API: scope (404 not 403), masking, reveal with audit, handover, stale edits."""

import pytest

from amdesk.clients.models import Client, ClientOwnership
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client, resident_id


@pytest.fixture
def clients(account_manager, team2_manager, other_manager):
    return {
        "mine": make_client(account_manager, "王小明", mobile="13812345678"),
        "team2": make_client(team2_manager, "李四"),
        "other": make_client(other_manager, "赵敏"),
    }


def names(response):
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("account_manager", {"王小明"}),
        ("supervisor", {"王小明", "李四"}),
        ("branch_head", {"王小明", "李四", "赵敏"}),
        ("admin", {"王小明", "李四", "赵敏"}),
    ],
)
def test_list_by_role(request, clients, api_for, viewer, expected):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/clients/")
    assert response.status_code == 200
    assert names(response) == expected
    assert "count" not in response.json()  # keyset pages: no COUNT over the archive


def test_other_managers_client_is_not_found(clients, api_for, account_manager):
    api = api_for(account_manager)
    other = clients["other"].pk
    for response in [
        api.get(f"/api/v1/clients/{other}/"),
        api.patch(f"/api/v1/clients/{other}/", {"name": "x", "version": 1}, format="json"),
        api.get(f"/api/v1/clients/{other}/reveal/", {"field": "mobile", "reason": "核实"}),
    ]:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    # nor can he find it by searching
    assert names(api.get("/api/v1/clients/", {"q": "赵"})) == set()


def test_personal_data_is_masked_and_revealed_with_a_reason(clients, api_for, account_manager):
    api = api_for(account_manager)
    mine = clients["mine"]
    row = api.get(f"/api/v1/clients/{mine.pk}/").json()
    assert row["mobile"] == "138****5678"
    assert row["id_number"] == mine.id_number[:3] + "*" * 11 + mine.id_number[-4:]
    assert api.get(f"/api/v1/clients/{mine.pk}/reveal/", {"field": "mobile"}).status_code == 400
    revealed = api.get(f"/api/v1/clients/{mine.pk}/reveal/", {"field": "mobile", "reason": "回访核实"})
    assert revealed.json() == {"field": "mobile", "value": "13812345678"}
    entry = AuditEntry.objects.get(event=AuditEvent.PERSONAL_DATA_REVEALED)
    assert entry.actor == account_manager and entry.detail["reason"] == "回访核实"
    assert "13812345678" not in str(entry.detail)  # the log itself stays masked


def test_admin_sees_all_but_may_not_reveal(clients, api_for, admin):
    response = api_for(admin).get(
        f"/api/v1/clients/{clients['other'].pk}/reveal/", {"field": "mobile", "reason": "检查"}
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(event=AuditEvent.PERSONAL_DATA_REVEALED).exists()


def test_create_validates_identity_in_chinese(account_manager, api_for):
    api = api_for(account_manager)
    bad = api.post("/api/v1/clients/", {"name": "钱七", "id_number": "110105194912310021"}, format="json")
    assert bad.status_code == 400 and "id_number" in bad.json()["fields"]
    good_id = resident_id()
    created = api.post(
        "/api/v1/clients/",
        {"name": "钱七", "id_number": good_id, "mobile": "+86 139 0000 1111"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    client = Client.objects.get(pk=created.json()["id"])
    assert (
        client.mobile == "13900001111" and client.birth_date.year == 1985 and client.owner == account_manager
    )
    duplicate = api.post("/api/v1/clients/", {"name": "钱七", "id_number": good_id}, format="json")
    assert duplicate.status_code == 400


def test_a_stale_edit_is_refused(clients, api_for, account_manager, supervisor):
    pk = clients["mine"].pk
    first = api_for(account_manager).patch(
        f"/api/v1/clients/{pk}/", {"address": "文三路 1 号", "version": 1}, format="json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api_for(supervisor).patch(
        f"/api/v1/clients/{pk}/", {"address": "黄龙路 9 号", "version": 1}, format="json"
    )
    assert second.status_code == 409 and second.json()["code"] == "stale"
    assert Client.objects.get(pk=pk).address == "文三路 1 号"


def test_handover_moves_access_and_keeps_history(
    clients, api_for, supervisor, account_manager, team2_manager
):
    pk = clients["mine"].pk
    response = api_for(supervisor).post(
        f"/api/v1/clients/{pk}/handover/",
        {"to_staff": team2_manager.employee_no, "reason": "客户经理调岗"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["owner"]["employee_no"] == team2_manager.employee_no
    assert api_for(account_manager).get(f"/api/v1/clients/{pk}/").status_code == 404
    assert api_for(team2_manager).get(f"/api/v1/clients/{pk}/").status_code == 200
    history = list(
        ClientOwnership.objects.filter(client_id=pk).order_by("id").values_list("owner", "ended_at")
    )
    assert history[0][0] == account_manager.pk and history[0][1] is not None
    assert history[1] == (team2_manager.pk, None)


def test_handover_rules(clients, api_for, account_manager, supervisor, other_manager, team2_manager):
    pk = clients["mine"].pk
    # an AM cannot hand over
    assert (
        api_for(account_manager)
        .post(
            f"/api/v1/clients/{pk}/handover/",
            {"to_staff": team2_manager.employee_no, "reason": "x"},
            format="json",
        )
        .status_code
        == 403
    )
    # a supervisor cannot hand to someone outside his teams, nor without a reason
    outside = api_for(supervisor).post(
        f"/api/v1/clients/{pk}/handover/",
        {"to_staff": other_manager.employee_no, "reason": "x"},
        format="json",
    )
    assert outside.status_code == 400 and "to_staff" in outside.json()["fields"]
    assert Client.objects.get(pk=pk).owner == account_manager


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("王", {"王小明"}),
        ("小明", {"王小明"}),
        ("wangxiaoming", {"王小明"}),
        ("wangx", {"王小明"}),
        ("wxm", {"王小明"}),
        ("5678", {"王小明"}),
        ("李", {"李四"}),
        ("zhao", set()),
    ],
)
def test_search_within_scope(clients, api_for, supervisor, term, expected):
    assert names(api_for(supervisor).get("/api/v1/clients/", {"q": term})) == expected


def test_search_by_id_number(clients, api_for, account_manager):
    mine = clients["mine"]
    assert names(api_for(account_manager).get("/api/v1/clients/", {"q": mine.id_number})) == {"王小明"}


def test_list_query_count_is_flat(clients, api_for, branch_head, account_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(branch_head)
    api.get("/api/v1/clients/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            api.get("/api/v1/clients/")
        return len(queries)

    before = count()
    for n in range(10):
        make_client(account_manager, f"客户{n}")
    assert count() == before
