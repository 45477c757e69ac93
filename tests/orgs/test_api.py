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
