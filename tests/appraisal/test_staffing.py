"""Staffing ratios per team: required against actual, scoped, page and API."""

import pytest
from django.urls import reverse

from amdesk.appraisal.selectors.staffing import staffing_for
from tests.appraisal.people_helpers import person, staffing_ratio

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(org, account_manager, team2_manager, other_manager):
    staffing_ratio("product_manager", "account_manager", 3)
    for n in range(3):
        person(org.tm1, "account_manager", f"客户经理{n}")
    person(org.tm1, "product_manager", "产品经理甲")
    for n in range(2):
        person(org.tm3, "account_manager", f"小微客户经理{n}")
    person(org.tm3, "product_manager", "产品经理乙")


def lines(viewer):
    return {
        (t.team.code, line.ratio.role.code): (line.basis, line.required, line.actual, line.short)
        for t in staffing_for(viewer)
        for line in t.lines
    }


def test_required_is_the_basis_over_the_ratio_rounded_up(
    appraisal_admin, staffed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        found = lines(appraisal_admin)

    assert found == {
        ("TM1", "product_manager"): (4, 2, 1, True),  # 4 AMs need 2 product managers
        ("TM2", "product_manager"): (1, 1, 0, True),
        ("TM3", "product_manager"): (3, 1, 1, False),
    }


def test_staffing_is_scoped(supervisor, other_supervisor, account_manager, staffed):
    assert set(lines(supervisor)) == {("TM1", "product_manager"), ("TM2", "product_manager")}
    assert set(lines(other_supervisor)) == {("TM3", "product_manager")}
    assert lines(account_manager) == {}


def test_staffing_page_and_api(client_for, api_for, branch_head, account_manager, staffed):
    page = client_for(branch_head).get(reverse("appraisal:staffing"))
    assert page.status_code == 200
    assert 'data-testid="staffing-TM1-product_manager" class="table-danger"' in page.content.decode()
    assert "缺 1 人" in page.content.decode()

    teams = api_for(branch_head).get("/api/v1/appraisal/staffing/").json()
    assert {t["name"]: t["short"] for t in teams} == {
        "公司金融团队": True,
        "个人金融团队": True,
        "小微金融团队": False,
    }

    assert client_for(account_manager).get(reverse("appraisal:staffing")).status_code == 403
    assert api_for(account_manager).get("/api/v1/appraisal/staffing/").status_code == 403
