"""The archive API: a permission matrix per endpoint, masking, keyset sorting, flat query counts."""

import base64
import json
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.clients.models import (
    AumSnapshot,
    Client,
    ClientChange,
    Contact,
    CreditRating,
    Holding,
    VipLevel,
)
from amdesk.clients.services import aum_record, client_handover, client_update
from amdesk.core.masking import mask
from tests.clients.factories import make_client, make_contact, make_corporate, set_holding

SCORES = {
    "repayment-capacity": 28,
    "operations": 18,
    "credit-history": 18,
    "collateral": 14,
    "relationship": 14,
}
ACCOUNT_NO = "6222021234567890123"
CONTACT_MOBILE = "13712345678"


@pytest.fixture
def clients(account_manager, team2_manager, other_manager):
    """One client per account manager, each with a contact, a holding and an AUM snapshot."""
    made = {
        "mine": make_client(account_manager, "王小明", mobile="13812345678"),
        "team2": make_client(team2_manager, "李四"),
        "other": make_client(other_manager, "赵敏"),
    }
    for client in made.values():
        make_contact(client, name="王总", mobile=CONTACT_MOBILE)
        set_holding(client, "demand-deposit", 100000, account_no=ACCOUNT_NO)
        aum_record(actor=client.owner, client=client, as_of=timezone.localdate(), amount=Decimal("100000"))
    return made


def secrets_of(client) -> list[str]:
    return [client.mobile, client.id_number, CONTACT_MOBILE, ACCOUNT_NO]


def footprint(client) -> tuple:
    """Everything a write may change, to check that a refused request changed nothing."""
    client.refresh_from_db()
    return (
        client.version,
        Contact.objects.filter(client=client).count(),
        list(Contact.objects.filter(client=client).values_list("version", flat=True)),
        list(Holding.objects.filter(client=client).values_list("balance", flat=True)),
        AumSnapshot.objects.filter(client=client).count(),
        CreditRating.objects.filter(client=client).count(),
        ClientChange.objects.filter(client=client).count(),
    )


def _contact(client) -> Contact:
    return Contact.objects.filter(client=client).first()


# Each operation: (request, status when the viewer may see the client). WRITES change the footprint.
OPERATIONS = {
    "client get": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/"), 200),
    "client update": (
        lambda api, c: api.patch(
            f"/api/v1/clients/{c.pk}/", {"address": "文三路 1 号", "version": c.version}, format="json"
        ),
        200,
    ),
    "contact list": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/contacts/"), 200),
    "contact create": (
        lambda api, c: api.post(
            f"/api/v1/clients/{c.pk}/contacts/", {"name": "李经理", "role": "采购经理"}, format="json"
        ),
        201,
    ),
    "contact get": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/contacts/{_contact(c).pk}/"), 200),
    "contact update": (
        lambda api, c: api.patch(
            f"/api/v1/clients/{c.pk}/contacts/{_contact(c).pk}/",
            {"stance": "supportive", "version": _contact(c).version},
            format="json",
        ),
        200,
    ),
    "contact delete": (lambda api, c: api.delete(f"/api/v1/clients/{c.pk}/contacts/{_contact(c).pk}/"), 204),
    "holding list": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/holdings/"), 200),
    "holding set": (
        lambda api, c: api.put(
            f"/api/v1/clients/{c.pk}/holdings/", {"product": "time-deposit", "balance": "5000"}, format="json"
        ),
        200,
    ),
    "aum list": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/aum/"), 200),
    "aum create": (
        lambda api, c: api.post(
            f"/api/v1/clients/{c.pk}/aum/",
            {"as_of": str(timezone.localdate() - timedelta(days=1)), "amount": "90000"},
            format="json",
        ),
        201,
    ),
    "rating list": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/credit-ratings/"), 200),
    "rating create": (
        lambda api, c: api.post(
            f"/api/v1/clients/{c.pk}/credit-ratings/",
            {"rated_on": str(timezone.localdate()), "scores": SCORES},
            format="json",
        ),
        201,
    ),
    "history get": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/history/"), 200),
    "completeness get": (lambda api, c: api.get(f"/api/v1/clients/{c.pk}/completeness/"), 200),
    "reveal": (
        lambda api, c: api.get(f"/api/v1/clients/{c.pk}/reveal/", {"field": "mobile", "reason": "核实"}),
        200,
    ),
    # handed to the owner he already has: allowed or not, and nothing moves
    "handover": (
        lambda api, c: api.post(
            f"/api/v1/clients/{c.pk}/handover/",
            {"to_staff": c.owner.employee_no, "reason": "核对"},
            format="json",
        ),
        200,
    ),
}

# role: (viewer, whose client, may he see it)
ROLES = {
    "am own client": ("account_manager", "mine", True),
    "am another am's client": ("account_manager", "other", False),
    "supervisor his team's client": ("supervisor", "team2", True),
    "supervisor another team's client": ("other_supervisor", "mine", False),
    "branch head": ("branch_head", "other", True),
    "admin (masked)": ("admin", "mine", True),
}
WRITES = {
    "client update",
    "contact create",
    "contact update",
    "contact delete",
    "holding set",
    "aum create",
    "rating create",
}
# Exceptions to "seen → the operation's status, not seen → 404".
EXCEPTIONS = {("reveal", "admin (masked)"): 403, ("handover", "am own client"): 403}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_permission_matrix(request, clients, api_for, operation, role):
    viewer, whose, sees = ROLES[role]
    call, success = OPERATIONS[operation]
    client = clients[whose]
    before = footprint(client)

    response = call(api_for(request.getfixturevalue(viewer)), client)

    expected = EXCEPTIONS.get((operation, role), success if sees else 404)
    assert response.status_code == expected, response.content[:300]
    if expected == 404:  # the same answer as for a client that does not exist
        assert response.json()["code"] == "not_found"
    if expected in (403, 404):
        assert footprint(client) == before
    elif operation in WRITES:
        assert footprint(client) != before
    if operation != "reveal":
        for secret in secrets_of(client):
            assert secret not in response.content.decode()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("account_manager", {"王小明"}),
        ("supervisor", {"王小明", "李四"}),
        ("other_supervisor", {"赵敏"}),
        ("branch_head", {"王小明", "李四", "赵敏"}),
        ("admin", {"王小明", "李四", "赵敏"}),
    ],
)
def test_list_matrix_and_masking(request, clients, api_for, viewer, expected):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/clients/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["name"] for row in rows} == expected
    body = response.content.decode()
    for client in clients.values():
        assert client.mobile not in body and client.id_number not in body


@pytest.mark.parametrize(
    ("viewer", "keys"),
    [
        ("account_manager", {"am"}),
        ("supervisor", {"am", "am_team2"}),
        ("other_supervisor", {"am_other"}),
        ("branch_head", {"am", "am_team2", "am_other"}),
        ("admin", {"am", "am_team2", "am_other"}),
    ],
)
def test_completeness_rates_matrix(request, clients, api_for, viewer, keys):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/clients/completeness/")
    assert response.status_code == 200
    usernames = {client.owner.employee_no: client.owner.username for client in clients.values()}
    assert {usernames[row["key"]] for row in response.json()["results"]} == keys


def test_history_is_the_same_404_for_missing_clients(clients, api_for, account_manager):
    missing = Client.objects.order_by("-pk").first().pk + 1
    api = api_for(account_manager)
    for path in ["contacts/", "holdings/", "aum/", "credit-ratings/", "history/", "completeness/"]:
        assert api.get(f"/api/v1/clients/{missing}/{path}").json()["code"] == "not_found"


def test_unauthenticated_calls_are_refused(clients):
    response = APIClient().get(f"/api/v1/clients/{clients['mine'].pk}/contacts/")
    assert response.status_code in (401, 403)


def test_an_account_number_is_revealed_through_the_api(clients, api_for, account_manager, supervisor):
    from amdesk.core.audit_events import AuditEvent
    from amdesk.core.models import AuditEntry

    mine, team2 = clients["mine"], clients["team2"]
    holding = Holding.objects.get(client=mine)
    url = f"/api/v1/clients/{mine.pk}/reveal/"
    revealed = api_for(account_manager).get(url, {"field": f"account:{holding.pk}", "reason": "挂失"})
    assert revealed.json() == {"field": f"account:{holding.pk}", "value": ACCOUNT_NO}
    assert AuditEntry.objects.get(event=AuditEvent.PERSONAL_DATA_REVEALED).detail["masked"] == mask(
        ACCOUNT_NO, "card"
    )
    # another client's holding, through a client the supervisor may see
    other_holding = Holding.objects.get(client=team2)
    response = api_for(supervisor).get(url, {"field": f"account:{other_holding.pk}", "reason": "挂失"})
    assert response.status_code == 404


# Client list and detail


def test_output_carries_the_archive_fields(account_manager, api_for):
    client = make_corporate(
        account_manager,
        industry="制造业",
        tags=["上市公司", "代发工资"],
        vip_level=VipLevel.objects.get(code="vip-gold"),
        tier="key",
        grade=4,
    )
    client = client_update(
        actor=account_manager, client=client, data={"is_big_account": True}, expected_version=client.version
    )
    aum_record(actor=account_manager, client=client, as_of=date(2025, 1, 31), amount=Decimal("1234.5"))

    row = api_for(account_manager).get("/api/v1/clients/").json()["results"][0]

    assert row["tags"] == sorted(["上市公司", "代发工资"])
    assert row["is_big_account"] is True and row["stakeholder_gap"] is True
    assert (row["aum"], row["aum_as_of"]) == ("1234.50", "2025-01-31")
    assert row["completeness"] == client.completeness and row["credit_rating"] == ""
    assert (row["industry"], row["vip_level"], row["kind"]) == ("制造业", "vip-gold", "corporate")
    # tiers and grades are preset data, given by code
    assert (row["tier"], row["grade"]) == ("key", "4")


def test_create_and_update_with_tags_and_the_remaining_fields(account_manager, api_for):
    api = api_for(account_manager)
    created = api.post(
        "/api/v1/clients/",
        {
            "kind": "corporate",
            "name": "杭州某某科技有限公司",
            "industry": "软件",
            "size": "中型",
            "legal_representative": "王某",
            "source": "转介绍",
            "onboarded_on": "2024-03-01",
            "onboard_reason": "代发工资",
            "tags": ["高新技术", " 代发工资 "],
            "is_big_account": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["tags"] == sorted(["高新技术", "代发工资"])
    assert (body["onboarded_on"], body["legal_representative"], body["is_big_account"]) == (
        "2024-03-01",
        "王某",
        True,
    )
    assert body["stakeholder_gap"] is True  # a big account without contacts

    pk = body["id"]
    updated = api.patch(
        f"/api/v1/clients/{pk}/",
        {
            "tags": ["高新技术"],
            "offboarded_on": "2025-01-01",
            "offboard_reason": "迁出",
            "birthday_kind": "lunar",
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["tags"] == ["高新技术"] and updated.json()["version"] == 2
    rows = dict(ClientChange.objects.filter(client_id=pk).order_by("id").values_list("field", "new_value"))
    assert rows["tags"] == "高新技术" and rows["offboard_reason"] == "迁出"


@pytest.mark.parametrize(
    ("payload", "headers", "field"),
    [
        ({"address": "x"}, {}, "version"),
        ({"address": "x", "version": "abc"}, {}, "version"),
        ({"tags": ["x" * 31], "version": 1}, {}, "tags"),
        ({"birthday_kind": "moon", "version": 1}, {}, "birthday_kind"),
    ],
)
def test_update_input_errors(clients, api_for, account_manager, payload, headers, field):
    response = api_for(account_manager).patch(
        f"/api/v1/clients/{clients['mine'].pk}/", payload, format="json", **headers
    )
    assert response.status_code == 400 and field in response.json()["fields"]


def test_list_filters(account_manager, api_for, team2_manager, supervisor):
    gold = VipLevel.objects.get(code="vip-gold")
    a = make_client(account_manager, "甲", tags=["私行"], grade=5, vip_level=gold, tier="key")
    b = make_corporate(account_manager, "乙公司", lifecycle="won")
    c = make_client(team2_manager, "丙", address="文三路", grade=3)
    b = client_update(actor=account_manager, client=b, data={"is_big_account": True}, expected_version=1)
    aum_record(actor=account_manager, client=a, as_of=date(2025, 1, 1), amount=Decimal("500000"))
    aum_record(actor=team2_manager, client=c, as_of=date(2025, 1, 1), amount=Decimal("2000"))
    api = api_for(supervisor)

    def names(**params):
        response = api.get("/api/v1/clients/", params)
        assert response.status_code == 200, response.json()
        return {row["name"] for row in response.json()["results"]}

    a.refresh_from_db()
    c.refresh_from_db()
    assert names(tag="私行") == {"甲"}
    assert names(kind="corporate") == {"乙公司"}
    assert names(lifecycle="won") == {"乙公司"}
    assert names(tier="key") == {"甲"}
    assert names(grade=3) == {"丙"}
    assert names(vip_level="vip-gold") == {"甲"}
    assert names(owner=team2_manager.employee_no) == {"丙"}
    assert names(org="TM1") == {"甲", "乙公司"}
    assert names(big_account="true") == {"乙公司"}
    assert names(stakeholder_gap="true") == {"乙公司"}
    assert names(stakeholder_gap="false") == {"甲", "丙"}
    assert names(aum_min=1000, aum_max=10000) == {"丙"}
    assert names(completeness_min=a.completeness, completeness_max=a.completeness) >= {"甲"}
    assert names(q="丙") == {"丙"}
    assert names(sort="-aum") == {"甲", "乙公司", "丙"}


@pytest.mark.parametrize(
    "params", [{"vip_level": "no-such-level"}, {"sort": "salary"}, {"grade": "high"}, {"aum_min": "lots"}]
)
def test_invalid_filters_are_refused_not_ignored(clients, api_for, account_manager, params):
    response = api_for(account_manager).get("/api/v1/clients/", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["fields"])


# Keyset pages in every sort order


def walk(api, params) -> tuple[list[list[int]], list[list[int]]]:
    """All pages forwards through `next`, then backwards through `previous`."""
    forwards, backwards = [], []
    response = api.get("/api/v1/clients/", params).json()
    while True:
        forwards.append([row["id"] for row in response["results"]])
        if not response["next"]:
            break
        response = api.get(response["next"]).json()
    while response["previous"]:
        response = api.get(response["previous"]).json()
        backwards.insert(0, [row["id"] for row in response["results"]])
    return forwards, backwards


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("", lambda c: -c.pk),
        ("-aum", lambda c: (-c.aum, -c.pk)),
        ("aum", lambda c: (c.aum, c.pk)),
        ("completeness", lambda c: (c.completeness, c.pk)),
        ("-completeness", lambda c: (-c.completeness, -c.pk)),
        ("-updated", lambda c: (-c.updated_at.timestamp(), -c.pk)),
        ("name", None),
    ],
)
def test_keyset_pages_follow_the_sort_through_ties(account_manager, api_for, sort, key):
    # Given seven clients, most of them tied on AUM (0) and on completeness
    made = [make_client(account_manager, f"客户{n}", address="文三路" if n % 3 else "") for n in range(7)]
    for client, amount in zip(made[:3], [500, 100, 500], strict=True):
        aum_record(actor=account_manager, client=client, as_of=date(2025, 1, 1), amount=Decimal(amount))
    clients = list(Client.objects.all())
    if key is None:  # names sort as the database collates them; ids break ties
        expected = list(Client.objects.order_by("name", "id").values_list("pk", flat=True))
    else:
        expected = [client.pk for client in sorted(clients, key=key)]

    forwards, backwards = walk(
        api_for(account_manager), {"sort": sort, "page_size": 2} if sort else {"page_size": 2}
    )

    # Then every client comes once, in the order asked for, in pages of two, both ways
    assert [pk for page in forwards for pk in page] == expected
    assert [len(page) for page in forwards] == [2, 2, 2, 1]
    assert backwards == forwards[:-1]


def test_a_cursor_belongs_to_its_sort_order(clients, api_for, branch_head):
    api = api_for(branch_head)
    next_link = api.get("/api/v1/clients/", {"sort": "-aum", "page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]
    assert api.get("/api/v1/clients/", {"sort": "name", "cursor": cursor}).status_code == 404
    assert api.get("/api/v1/clients/", {"sort": "-aum", "cursor": cursor}).status_code == 200
    forged = base64.urlsafe_b64encode(json.dumps({"s": "-aum", "p": ["x", "1"], "r": False}).encode())
    for bad in ["not-base64!", forged.decode(), base64.urlsafe_b64encode(b"[1]").decode()]:
        response = api.get("/api/v1/clients/", {"sort": "-aum", "cursor": bad})
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_list_query_count_does_not_grow_with_rows(api_for, account_manager, django_assert_max_num_queries):
    gold = VipLevel.objects.get(code="vip-gold")

    def add(n):
        for index in range(n):
            make_client(account_manager, f"客户{index}", tags=["私行", f"标签{index}"], vip_level=gold)

    api = api_for(account_manager)
    add(3)
    with CaptureQueriesContext(connection) as three:
        assert len(api.get("/api/v1/clients/", {"tag": "私行"}).json()["results"]) == 3
    add(17)
    # scope, client page (with owner, node and VIP level joined) and one query for all tags
    with django_assert_max_num_queries(len(three)):
        assert len(api.get("/api/v1/clients/", {"tag": "私行"}).json()["results"]) == 20
    assert len(three) <= 5


# Contacts


def test_contacts_create_update_delete(clients, api_for, account_manager, supervisor):
    mine = clients["mine"]
    api = api_for(account_manager)
    created = api.post(
        f"/api/v1/clients/{mine.pk}/contacts/",
        {"name": "李经理", "role": "采购经理", "mobile": "139 1234 5678", "is_decision_maker": True},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["mobile"] == "139****5678" and created.json()["version"] == 1
    url = f"/api/v1/clients/{mine.pk}/contacts/{created.json()['id']}/"
    listed = api.get(f"/api/v1/clients/{mine.pk}/contacts/").json()
    assert [row["name"] for row in listed] == ["李经理", "王总"]  # decision makers first

    assert (
        api_for(supervisor).patch(url, {"remarks": "喜欢喝茶"}, format="json", HTTP_IF_MATCH="1").status_code
        == 200
    )
    stale = api.patch(url, {"remarks": "喜欢钓鱼", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert api.patch(url, {"remarks": "喜欢钓鱼"}, format="json").status_code == 400  # no version
    assert Contact.objects.get(pk=created.json()["id"]).remarks == "喜欢喝茶"

    assert api.delete(url, HTTP_IF_MATCH="1").status_code == 409
    assert api.delete(url, HTTP_IF_MATCH="2").status_code == 204
    assert api.get(url).status_code == 404


def test_contact_input_errors(clients, api_for, account_manager):
    api = api_for(account_manager)
    url = f"/api/v1/clients/{clients['mine'].pk}/contacts/"
    missing = api.post(url, {"mobile": "12"}, format="json")
    assert missing.status_code == 400 and {"name", "role"} <= set(missing.json()["fields"])
    bad_mobile = api.post(url, {"name": "李", "role": "会计", "mobile": "12345"}, format="json")
    assert bad_mobile.status_code == 400 and "mobile" in bad_mobile.json()["fields"]


def test_a_contact_is_reached_only_through_its_own_client(clients, api_for, account_manager, supervisor):
    theirs = _contact(clients["team2"])  # the supervisor sees both clients
    url = f"/api/v1/clients/{clients['mine'].pk}/contacts/{theirs.pk}/"
    api = api_for(supervisor)
    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "x", "version": 1}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk, name="王总").exists()


def test_contacts_keep_the_stakeholder_flag(account_manager, api_for):
    client = make_corporate(account_manager)
    api = api_for(account_manager)
    api.patch(f"/api/v1/clients/{client.pk}/", {"is_big_account": True, "version": 1}, format="json")
    for name, decides in [("王总", True), ("李经理", False), ("张会计", False)]:
        api.post(
            f"/api/v1/clients/{client.pk}/contacts/",
            {"name": name, "role": "经理", "is_decision_maker": decides},
            format="json",
        )
    assert api.get(f"/api/v1/clients/{client.pk}/").json()["stakeholder_gap"] is False
    assert {
        row["name"] for row in api.get("/api/v1/clients/", {"stakeholder_gap": "false"}).json()["results"]
    } == {client.name}


def test_contact_list_query_count_does_not_grow_with_rows(
    account_manager, api_for, django_assert_max_num_queries
):
    client = make_client(account_manager)
    api = api_for(account_manager)
    url = f"/api/v1/clients/{client.pk}/contacts/"
    for index in range(3):
        make_contact(client, name=f"联系人{index}", mobile=f"1390000{index:04d}")
    with CaptureQueriesContext(connection) as three:
        assert len(api.get(url).json()) == 3
    for index in range(3, 20):
        make_contact(client, name=f"联系人{index}", mobile=f"1390000{index:04d}")
    with django_assert_max_num_queries(len(three)):
        assert len(api.get(url).json()) == 20
    assert len(three) <= 3  # scope, client, contacts


# Holdings, AUM, ratings


def test_holdings_list_with_masked_accounts_and_profit(account_manager, api_for):
    client = make_client(account_manager)
    set_holding(client, "demand-deposit", 100000, account_no=ACCOUNT_NO)
    set_holding(client, "mortgage", 200000)
    body = api_for(account_manager).get(f"/api/v1/clients/{client.pk}/holdings/").json()
    first = body["results"][0]
    assert first["product"]["code"] == "demand-deposit" and first["line"]["code"] == "deposit"
    assert (first["balance"], first["profit"]) == ("100000.00", "1600.00")
    assert first["account_no"] == mask(ACCOUNT_NO, "card") == "622202*********0123"
    assert [(line["balance"], line["profit"]) for line in body["lines"]] == [
        ("100000.00", "1600.00"),
        ("200000.00", "2200.00"),
    ]
    assert body["total_profit"] == "3800.00"


def test_setting_a_holding_through_the_api(account_manager, api_for):
    client = make_client(account_manager)
    api = api_for(account_manager)
    url = f"/api/v1/clients/{client.pk}/holdings/"
    opened = api.post(
        url, {"product": "time-deposit", "balance": "50000", "account_no": ACCOUNT_NO}, format="json"
    )
    assert opened.status_code == 200, opened.json()
    assert opened.json()["profit"] == "400.00" and opened.json()["account_no"] == "622202*********0123"
    assert api.put(url, {"product": "time-deposit", "balance": "0"}, format="json").status_code == 204
    assert not Holding.objects.filter(client=client).exists()
    for payload, field in [
        ({"product": "no-such-product", "balance": "1"}, "product"),
        ({"product": "time-deposit", "balance": "-1"}, "balance"),
        ({"product": "time-deposit", "balance": "1", "account_no": "abc"}, "account_no"),
    ]:
        response = api.put(url, payload, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], response.json()


def test_aum_series_and_recording(account_manager, api_for):
    client = make_client(account_manager)
    api = api_for(account_manager)
    url = f"/api/v1/clients/{client.pk}/aum/"
    today = timezone.localdate()
    for days, amount in [(400, "1"), (40, "2"), (0, "3")]:
        response = api.post(
            url, {"as_of": str(today - timedelta(days=days)), "amount": amount}, format="json"
        )
        assert response.status_code == 201, response.json()
    assert [row["amount"] for row in api.get(url).json()] == ["2.00", "3.00"]  # the configured 12 months
    window = api.get(url, {"from": str(today - timedelta(days=500)), "to": str(today - timedelta(days=30))})
    assert [row["amount"] for row in window.json()] == ["1.00", "2.00"]
    assert api_for(account_manager).get(f"/api/v1/clients/{client.pk}/").json()["aum"] == "3.00"
    assert api.get(url, {"from": str(today), "to": str(today - timedelta(days=1))}).status_code == 400
    assert api.get(url, {"from": "yesterday"}).status_code == 400
    future = api.post(url, {"as_of": str(today + timedelta(days=1)), "amount": "1"}, format="json")
    assert future.status_code == 400 and "as_of" in future.json()["fields"]


def test_credit_ratings(account_manager, api_for):
    client = make_client(account_manager)
    api = api_for(account_manager)
    url = f"/api/v1/clients/{client.pk}/credit-ratings/"
    bad = api.post(
        url,
        {"rated_on": str(timezone.localdate()), "scores": {**SCORES, "collateral": 99, "operations": "很好"}},
        format="json",
    )
    assert bad.status_code == 400 and {"collateral", "operations"} <= set(bad.json()["fields"])
    assert not CreditRating.objects.exists()

    created = api.post(
        url, {"rated_on": str(timezone.localdate()), "scores": SCORES, "remarks": "年审"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["total"], created.json()["rating_class"]) == (92, "AAA")
    assert created.json()["rater"]["employee_no"] == account_manager.employee_no
    assert [row["rating_class"] for row in api.get(url).json()] == ["AAA"]
    assert api.get(f"/api/v1/clients/{client.pk}/").json()["credit_rating"] == "AAA"


# History and completeness


def test_history_shows_changes_and_owners(account_manager, team2_manager, supervisor, api_for):
    client = make_client(account_manager, mobile="13812345678")
    client_update(actor=account_manager, client=client, data={"mobile": "13900001111"}, expected_version=1)
    client_handover(actor=supervisor, client_ids=[client.pk], to_staff=team2_manager, reason="调岗")

    body = api_for(supervisor).get(f"/api/v1/clients/{client.pk}/history/").json()

    assert [(row["field"], row["source"]) for row in body["changes"]] == [
        ("owner", "handover"),
        ("mobile", "edit"),
    ]
    assert body["changes"][1]["old_value"] == "138****5678"
    assert body["changes"][1]["changed_by"]["employee_no"] == account_manager.employee_no
    assert [(row["owner"]["employee_no"], row["how"]) for row in body["owners"]] == [
        (team2_manager.employee_no, "handover"),
        (account_manager.employee_no, "created"),
    ]
    assert body["owners"][0]["handed_over_by"]["employee_no"] == supervisor.employee_no
    assert (
        len(api_for(supervisor).get(f"/api/v1/clients/{client.pk}/history/", {"limit": 1}).json()["changes"])
        == 1
    )
    assert api_for(supervisor).get(f"/api/v1/clients/{client.pk}/history/", {"limit": 0}).status_code == 400


def test_completeness_of_one_client(account_manager, api_for):
    client = make_client(account_manager)
    body = api_for(account_manager).get(f"/api/v1/clients/{client.pk}/completeness/").json()
    assert body["percent"] == 50 and body["complete"] is False
    assert [row["field"] for row in body["missing"]] == ["address", "vip_level", "grade", "occupation"]


def test_completeness_rates_by_org(clients, api_for, branch_head):
    api = api_for(branch_head)
    body = api.get("/api/v1/clients/completeness/", {"by": "org"}).json()
    assert body["by"] == "org" and body["complete_at_percent"] == 100
    assert [row["key"] for row in body["results"]] == ["TM1", "TM2", "TM3"]
    assert api.get("/api/v1/clients/completeness/", {"by": "salary"}).status_code == 400


# The schema


def test_the_schema_documents_every_endpoint_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema"
    validate_schema(schema)
    for path in [
        "/api/v1/clients/{id}/contacts/",
        "/api/v1/clients/{id}/contacts/{contact_id}/",
        "/api/v1/clients/{id}/holdings/",
        "/api/v1/clients/{id}/aum/",
        "/api/v1/clients/{id}/credit-ratings/",
        "/api/v1/clients/{id}/history/",
        "/api/v1/clients/{id}/completeness/",
        "/api/v1/clients/completeness/",
    ]:
        assert path in schema["paths"]
    sort = next(p for p in schema["paths"]["/api/v1/clients/"]["get"]["parameters"] if p["name"] == "sort")
    assert "-aum" in sort["schema"]["enum"]
