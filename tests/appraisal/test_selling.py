"""Team selling 团队营销: a client's team and shares, who may set it, the page and the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from amdesk.appraisal.models import SellingTeamMember
from amdesk.appraisal.selectors.selling import team_fingerprint
from amdesk.appraisal.services.selling import selling_team_set
from amdesk.core.models import AuditEntry
from tests.appraisal.people_helpers import person, role, share_defaults
from tests.clients.factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(org, account_manager):
    share_defaults(account_manager=60, product_manager=20, risk_manager=20)
    return {
        "client": make_client(account_manager, name="核心客户甲"),
        "pm": person(org.tm1, "product_manager", "产品经理甲"),
        "risk": person(org.ot1, "risk_manager", "风险经理甲"),  # the outlet above the team
    }


def shares(client):
    return {m.staff_id: m.share_percent for m in SellingTeamMember.objects.filter(client=client)}


def test_a_team_takes_the_configured_shares_and_is_audited(supervisor, account_manager, team):
    members = [
        (account_manager, role("account_manager"), None),
        (team["pm"], role("product_manager"), None),
        (team["risk"], role("risk_manager"), None),
    ]

    selling_team_set(actor=supervisor, client=team["client"], members=members)

    assert shares(team["client"]) == {
        account_manager.pk: Decimal(60),
        team["pm"].pk: Decimal(20),
        team["risk"].pk: Decimal(20),
    }
    entry = AuditEntry.objects.get(event="appraisal.selling_team", target_id=str(team["client"].pk))
    assert len(entry.detail["after"]) == 3


@pytest.mark.parametrize(
    ("make_members", "said"),
    [
        (
            lambda am, t: [(am, role("account_manager"), 70), (t["pm"], role("product_manager"), 20)],
            "分成比例合计为 90%，必须合计为 100%",
        ),
        (lambda am, t: [(t["pm"], role("product_manager"), 100)], "客户的管户客户经理必须在团队中"),
        (
            lambda am, t: [(am, role("account_manager"), 80), (t["pm"], role("risk_manager"), 20)],
            "不担任风险经理岗位",
        ),
    ],
)
def test_a_wrong_team_is_refused_in_chinese(supervisor, account_manager, team, make_members, said):
    with pytest.raises(ValidationError, match=said):
        selling_team_set(actor=supervisor, client=team["client"], members=make_members(account_manager, team))
    assert not SellingTeamMember.objects.exists()


def test_members_come_from_the_clients_branch_line(account_manager, other_manager, org, team):
    stranger = person(org.tm3, "product_manager", "别的产品经理")

    with pytest.raises(ValidationError, match="不在该客户所属机构条线内"):
        selling_team_set(
            actor=account_manager,
            client=team["client"],
            members=[(account_manager, role("account_manager"), 80), (stranger, role("product_manager"), 20)],
        )


def test_only_who_may_change_the_client_sets_its_team(account_manager, other_manager, team):
    members = [(account_manager, role("account_manager"), 100)]
    with pytest.raises(Http404):
        selling_team_set(actor=other_manager, client=team["client"], members=members)
    with pytest.raises(PermissionDenied):
        selling_team_set(actor=team["pm"], client=team["client"], members=members)  # reads, may not change


def test_a_team_changed_meanwhile_is_not_overwritten(account_manager, team):
    read = team_fingerprint(team["client"])
    selling_team_set(
        actor=account_manager,
        client=team["client"],
        members=[(account_manager, role("account_manager"), 100)],
        expected=read,
    )

    with pytest.raises(ValidationError, match="其他人"):
        selling_team_set(actor=account_manager, client=team["client"], members=[], expected=read)
    assert shares(team["client"]) == {account_manager.pk: Decimal(100)}


def test_selling_team_page_saves_and_keeps_typed_values_on_error(
    client_for, account_manager, team, django_assert_max_num_queries
):
    browser = client_for(account_manager)
    url = reverse("appraisal:selling-team", args=[team["client"].pk])
    with django_assert_max_num_queries(20):
        page = browser.get(url)
    assert page.status_code == 200
    expected = page.context["expected"]
    data = {
        "expected": expected,
        "staff-0": account_manager.pk,
        "role-0": role("account_manager").pk,
        "share-0": "70",
        "staff-1": team["pm"].pk,
        "role-1": role("product_manager").pk,
        "share-1": "20",
    }

    refused = browser.post(url, data)
    assert refused.status_code == 400
    assert "必须合计为 100%" in refused.content.decode() and 'value="70"' in refused.content.decode()

    data["share-0"] = "80"
    assert browser.post(url, data).status_code == 302
    assert shares(team["client"]) == {account_manager.pk: Decimal(80), team["pm"].pk: Decimal(20)}


def test_client_page_links_to_the_selling_team(client_for, account_manager, team):
    page = (
        client_for(account_manager).get(reverse("clients:detail", args=[team["client"].pk])).content.decode()
    )
    assert reverse("appraisal:selling-team", args=[team["client"].pk]) in page


def test_selling_team_api_reads_and_writes_in_scope(api_for, account_manager, other_manager, team):
    url = f"/api/v1/appraisal/clients/{team['client'].pk}/selling-team/"
    read = api_for(account_manager).get(url).json()
    assert read["members"] == [] and read["owner"] == account_manager.pk

    body = {
        "version": read["version"],
        "members": [
            {"staff": account_manager.pk, "role": "account_manager"},
            {"staff": team["pm"].pk, "role": "product_manager", "share_percent": "40"},
        ],
    }
    response = api_for(account_manager).put(url, body, format="json")
    assert response.status_code == 200
    assert [(m["staff"], m["share_percent"]) for m in response.json()["members"]] == [
        (account_manager.pk, "60.00"),
        (team["pm"].pk, "40.00"),
    ]

    assert api_for(other_manager).get(url).status_code == 404
    assert api_for(team["pm"]).put(url, {"members": []}, format="json").status_code == 403
    bad = api_for(account_manager).put(
        url,
        {"members": [{"staff": account_manager.pk, "role": "account_manager", "share_percent": "90"}]},
        format="json",
    )
    assert bad.status_code == 400 and "必须合计为 100%" in bad.json()["fields"]["members"][0]
