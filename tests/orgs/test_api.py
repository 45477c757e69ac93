"""The staff and org API follow the same scope as the pages."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def names(response):
    return {row["username"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("account_manager", {"am"}),
        ("supervisor", {"sup", "am", "am_team2"}),
        ("branch_head", {"head", "sup", "sup_other", "am", "am_team2", "am_other"}),
        ("admin", {"head", "sup", "sup_other", "am", "am_team2", "am_other", "sysadmin"}),
    ],
)
def test_staff_list_by_role(request, everyone, api_for, viewer, expected):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/staff/")
    assert response.status_code == 200
    assert names(response) == expected


def test_staff_detail_outside_scope_is_404_in_the_error_format(
    everyone, api_for, account_manager, other_manager
):
    client = api_for(account_manager)
    assert client.get(f"/api/v1/staff/{account_manager.pk}/").json()["name"] == "苏婷瑶"
    response = client.get(f"/api/v1/staff/{other_manager.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json() == client.get("/api/v1/staff/999999/").json()


def test_staff_list_api_query_count_does_not_grow(everyone, org, api_for, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.orgs.factories import StaffFactory

    client = api_for(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/staff/").status_code == 200
        return len(queries)

    count()  # warm up: the viewer's scope is computed once
    before = count()
    for n in range(10):
        StaffFactory(username=f"bulk{n}", org_node=org.tm3)
    assert count() == before


def test_staff_filter_by_role(everyone, api_for, branch_head):
    response = api_for(branch_head).get("/api/v1/staff/", {"role": "supervisor"})
    assert names(response) == {"sup", "sup_other"}


def test_org_nodes_by_scope(everyone, api_for, supervisor):
    rows = api_for(supervisor).get("/api/v1/org-nodes/").json()["results"]
    assert {row["code"] for row in rows} == {"TM1", "TM2"}
    assert {row["code"]: row["active_staff"] for row in rows} == {"TM1": 2, "TM2": 1}


def test_schema_and_docs_are_served_locally(db, client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ["/api/v1/auth/token/", "/api/v1/me/", "/api/v1/staff/"]:
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    assert "/static/drf_spectacular_sidecar/" in body


@pytest.mark.parametrize(
    ("viewer", "whole"),
    [
        # may see personal data: the team's mobiles in full
        ("supervisor", {"sup", "am", "am_team2"}),
        # a wide scope without personal data: only his own
        ("admin", {"sysadmin"}),
        ("appraisal_admin", {"hr"}),
        ("account_manager", {"am"}),
    ],
)
def test_staff_mobiles_are_masked_unless_own_or_entitled(
    request, everyone, appraisal_admin, api_for, viewer, whole
):
    user = request.getfixturevalue(viewer)
    people = {person.username: person.phone for person in [*everyone, appraisal_admin]}
    rows = api_for(user).get("/api/v1/staff/").json()["results"]
    shown = {row["username"]: row["phone"] for row in rows}
    for username, phone in shown.items():
        full = people[username]
        expected = full if username in whole else f"{full[:3]}****{full[-4:]}"
        assert phone == expected
    assert {u for u, p in shown.items() if "*" not in p} == whole
    # the same on one person and on /me
    am = next(person for person in everyone if person.username == "am")
    detail = api_for(user).get(f"/api/v1/staff/{am.pk}/")
    if detail.status_code == 200:
        assert ("*" in detail.json()["phone"]) == ("am" not in whole)
    assert "*" not in api_for(user).get("/api/v1/me/").json()["phone"]


def test_the_staff_page_masks_the_mobile_too(everyone, appraisal_admin, account_manager, client_for):
    html = client_for(appraisal_admin).get(f"/orgs/staff/{account_manager.pk}/").content.decode()
    masked = f"{account_manager.phone[:3]}****{account_manager.phone[-4:]}"
    assert masked in html and account_manager.phone not in html
    assert (
        account_manager.phone
        in client_for(account_manager).get(f"/orgs/staff/{account_manager.pk}/").content.decode()
    )
