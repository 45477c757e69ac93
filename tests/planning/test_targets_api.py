"""The targets API and pages: who reads and writes whose monthly targets (404 outside scope), the
workflow steps, the team's month and the split of a team target."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from amdesk.planning.models import TargetSheet
from amdesk.planning.services import target_sheet_save
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
SEES_AM = {"account_manager", "supervisor", "branch_head", "admin"}  # the table of "am" (TM1)
SETS_AM = {"supervisor", "branch_head", "admin"}
OCT = "2026-10"


@pytest.fixture
def targets(account_manager, supervisor):
    sheet, _n = target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "20"}},
    )
    register(account_manager, {("insurance", date(2026, 10, 9)): "4"})
    return sheet


def test_anonymous_callers_get_nothing():
    assert APIClient().get("/api/v1/planning/targets/").status_code == 401
    assert APIClient().get("/api/v1/planning/followups/").status_code == 401


@pytest.mark.parametrize("viewer", ROLES)
def test_read_an_account_managers_targets_by_role(request, targets, api_for, account_manager, viewer):
    response = api_for(request.getfixturevalue(viewer)).get(
        f"/api/v1/planning/targets/?month={OCT}&owner={account_manager.pk}"
    )
    if viewer in SEES_AM:
        assert response.status_code == 200
        body = response.json()
        row = next(row for row in body["rows"] if row["item"] == "insurance")
        assert (row["target"], row["achieved"], row["status"]) == ("20.00", "4.00", "behind")
        assert body["state"] == "reviewed" and body["set_by"]["id"] == targets.set_by_id
        assert [week["achieved"] for week in row["weeks"]] == ["0.00", "4.00", "0.00", "0.00", "0.00"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("viewer", ROLES)
def test_set_an_account_managers_targets_by_role(request, targets, api_for, account_manager, viewer):
    user = request.getfixturevalue(viewer)
    response = api_for(user).put(
        "/api/v1/planning/targets/",
        {
            "month": OCT,
            "owner": account_manager.pk,
            "version": targets.version,
            "lines": [{"item": "fund", "target": "9"}],
        },
        format="json",
    )
    lines = set(TargetSheet.objects.get().lines.values_list("item__code", flat=True))
    if viewer in SETS_AM:
        assert response.status_code == 200 and lines == {"insurance", "fund"}
    else:
        # the AM himself: approved targets are no longer his to change; others do not see him
        assert response.status_code == (400 if viewer == "account_manager" else 404)
        assert lines == {"insurance"}


def test_stale_write_is_409(targets, api_for, supervisor, account_manager):
    response = api_for(supervisor).put(
        "/api/v1/planning/targets/",
        {"month": OCT, "owner": account_manager.pk, "version": 0, "lines": [{"item": "fund", "target": "9"}]},
        format="json",
    )
    assert response.status_code == 409


def test_propose_submit_and_approve_through_the_api(api_for, account_manager, supervisor, team2_manager):
    am = api_for(account_manager)
    body = am.put(
        "/api/v1/planning/targets/",
        {"month": OCT, "version": 0, "lines": [{"item": "fund", "target": "30", "weeks": [0, 10, 10, 5, 5]}]},
        format="json",
    ).json()
    assert body["state"] == "draft" and body["actions"] == ["submit"]
    pk = body["id"]
    assert am.post(f"/api/v1/planning/targets/{pk}/submit/", {"version": body["version"]}).status_code == 200
    # another account manager cannot see it; the supervisor may not return without a comment
    assert api_for(team2_manager).post(f"/api/v1/planning/targets/{pk}/review/").status_code == 404
    assert api_for(supervisor).post(f"/api/v1/planning/targets/{pk}/return/").status_code == 400
    assert am.post(f"/api/v1/planning/targets/{pk}/review/").status_code == 403
    body = api_for(supervisor).post(f"/api/v1/planning/targets/{pk}/review/", {"comment": "同意"}).json()
    assert body["state"] == "reviewed" and body["comment"] == "同意"


@pytest.mark.parametrize("viewer", ROLES)
def test_team_targets_by_role(request, targets, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get(f"/api/v1/planning/targets/team/?month={OCT}")
    assert response.status_code == 200
    names = {row["staff"]["employee_no"] for row in response.json()}
    assert (targets.owner.employee_no in names) == (viewer in SEES_AM)


@pytest.mark.parametrize("viewer", ROLES)
def test_split_by_role(request, api_for, account_manager, team2_manager, viewer):
    response = api_for(request.getfixturevalue(viewer)).post(
        "/api/v1/planning/targets/split/",
        {
            "month": OCT,
            "item": "fund",
            "total": "100",
            "weights": [{"staff": account_manager.pk, "weight": 3}, {"staff": team2_manager.pk, "weight": 1}],
        },
        format="json",
    )
    if viewer in ("supervisor", "branch_head", "admin"):
        assert response.status_code == 200
        assert {row["staff"]: row["target"] for row in response.json()} == {
            account_manager.pk: "75.00",
            team2_manager.pk: "25.00",
        }
    else:
        assert response.status_code in (403, 404) and not TargetSheet.objects.exists()


def test_am_fills_in_and_submits_the_month_table_page(client_for, account_manager, supervisor):
    web = client_for(account_manager)
    with translation.override("en"):
        page = web.get(f"/planning/targets/{OCT}/")
    assert page.status_code == 200 and b'data-testid="targets-form"' in page.content
    response = web.post(
        f"/planning/targets/{OCT}/",
        {
            "version": "0",
            "target-insurance": "12",
            "week2-insurance": "6",
            "week3-insurance": "6",
            "decision": "submit",
        },
    )
    assert response.status_code == 302
    sheet = TargetSheet.objects.get()
    line = sheet.lines.get()
    assert sheet.state == "submitted" and line.target == Decimal("12") and line.week2 == Decimal("6")
    # his supervisor opens it and approves it
    boss = client_for(supervisor)
    page = boss.get(f"/planning/targets/{OCT}/?owner={account_manager.pk}")
    assert b'data-testid="targets-approve"' in page.content
    boss.post(
        f"/planning/targets/{OCT}/?owner={account_manager.pk}",
        {"decision": "review", "version": sheet.version},
    )
    sheet.refresh_from_db()
    assert sheet.state == "reviewed"
    # approved: the AM's page no longer has a form to change it
    assert b'data-testid="targets-submit"' not in web.get(f"/planning/targets/{OCT}/").content


def test_team_page_shows_who_is_behind_and_splits(
    client_for, targets, supervisor, account_manager, team2_manager
):
    web = client_for(supervisor)
    page = web.get(f"/planning/targets/{OCT}/team/")
    assert page.status_code == 200 and b'data-testid="behind-am"' in page.content
    assert b'data-testid="behind-am_team2"' not in page.content
    response = web.post(
        f"/planning/targets/{OCT}/team/",
        {
            "item": "fund",
            "total": "10",
            f"weight-{account_manager.pk}": "1",
            f"weight-{team2_manager.pk}": "1",
        },
    )
    assert response.status_code == 302
    assert TargetSheet.objects.get(owner=team2_manager).lines.get().target == Decimal("5")


def test_an_account_manager_cannot_open_anothers_targets_page(
    client_for, targets, team2_manager, account_manager
):
    response = client_for(team2_manager).get(f"/planning/targets/{OCT}/?owner={account_manager.pk}")
    assert response.status_code == 404
