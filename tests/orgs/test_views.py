"""Staff and org pages: scope, one 'not found', and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.orgs.factories import StaffFactory


def test_staff_list_shows_the_viewers_scope(everyone, supervisor, client_for):
    body = client_for(supervisor).get("/orgs/staff/").content.decode()
    assert "苏婷瑶" in body and "钟欢岚" in body  # his two teams
    assert "郭佳" not in body  # the other supervisor's team


def test_account_manager_sees_only_himself_in_the_list(everyone, account_manager, client_for):
    body = client_for(account_manager).get("/orgs/staff/").content.decode()
    assert "苏婷瑶" in body and "钟欢岚" not in body
    # One row, himself: his supervisor shows only as a name in it
    assert len(re.findall(r'href="/orgs/staff/\d+/"', body)) == 1


def test_detail_outside_scope_is_not_found(everyone, account_manager, other_manager, client_for):
    client = client_for(account_manager)
    assert client.get(f"/orgs/staff/{account_manager.pk}/").status_code == 200
    assert client.get(f"/orgs/staff/{other_manager.pk}/").status_code == 404
    assert client.get("/orgs/staff/999999/").status_code == 404


def test_search_filters_within_scope(everyone, branch_head, client_for):
    client = client_for(branch_head)
    body = client.get("/orgs/staff/", {"q": "郭"}).content.decode()
    assert "郭佳" in body and "苏婷瑶" not in body
    partial = client.get("/orgs/staff/", {"role": "supervisor"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "雷勇" in partial and "苏婷瑶" not in partial


def test_staff_list_query_count_does_not_grow_with_rows(everyone, org, admin, client_for):
    client = client_for(admin)
    client.get("/orgs/staff/")  # warm caches (content types, session)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/orgs/staff/").status_code == 200
        return len(queries)

    before = count_queries()
    for n in range(15):
        StaffFactory(username=f"extra{n}", org_node=org.tm3)
    assert count_queries() == before


def test_org_tree_is_scoped(everyone, supervisor, client_for):
    body = client_for(supervisor).get("/orgs/tree/").content.decode()
    assert "公司金融团队" in body and "个人金融团队" in body
    assert "小微金融团队" not in body and "杭州分行" not in body


@pytest.mark.parametrize("path", ["/", "/orgs/staff/", "/orgs/tree/"])
def test_pages_need_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
