"""The API of the weekly and monthly documents and the team board: who reads, writes and moves whose
documents (404 outside scope), optimistic locking, the computed parts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from amdesk.planning.models import MonthlyPlan, WeeklyArrangement
from amdesk.planning.services import document_transition, plan_document_save, target_sheet_save
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
SEES_AM = {"account_manager", "supervisor", "branch_head", "admin"}
REVIEWS_AM = {"supervisor", "branch_head", "admin"}
PATHS = ["weekly-arrangements", "weekly-summaries", "monthly-plans", "monthly-summaries"]


@pytest.fixture
def arrangement(account_manager):
    doc, _c = plan_document_save(
        actor=account_manager, kind="arrangement", period=date(2026, 10, 5), data={"info_focus": "到期理财"}
    )
    return document_transition(actor=account_manager, document=doc, action="submit")


def test_anonymous_callers_get_nothing():
    for path in [*PATHS, "board"]:
        assert APIClient().get(f"/api/v1/planning/{path}/").status_code == 401


@pytest.mark.parametrize("viewer", ROLES)
def test_list_and_get_by_role(request, arrangement, api_for, viewer):
    api = api_for(request.getfixturevalue(viewer))
    listed = api.get("/api/v1/planning/weekly-arrangements/").json()["results"]
    detail = api.get(f"/api/v1/planning/weekly-arrangements/{arrangement.pk}/")
    if viewer in SEES_AM:
        assert [row["id"] for row in listed] == [arrangement.pk]
        body = detail.json()
        assert (
            body["week"] == "2026-10-05" and body["info_focus"] == "到期理财" and body["state"] == "submitted"
        )
        assert body["actions"] == (["review", "return"] if viewer in REVIEWS_AM else [])
        assert [event["action"] for event in body["events"]] == ["create", "submit"]
    else:
        assert listed == [] and detail.status_code == 404


@pytest.mark.parametrize("viewer", ROLES)
def test_return_by_role(request, arrangement, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).post(
        f"/api/v1/planning/weekly-arrangements/{arrangement.pk}/return/",
        {"comment": "请补充", "version": arrangement.version},
        format="json",
    )
    arrangement.refresh_from_db()
    if viewer in REVIEWS_AM:
        assert response.status_code == 200 and arrangement.state == "returned"
    elif viewer in SEES_AM:  # the owner himself
        assert response.status_code == 403 and arrangement.state == "submitted"
    else:
        assert response.status_code == 404 and arrangement.state == "submitted"


@pytest.mark.parametrize("viewer", ROLES)
def test_only_the_owner_patches(request, account_manager, api_for, viewer):
    doc, _c = plan_document_save(
        actor=account_manager, kind="monthly-plan", period=date(2026, 10, 1), data={}
    )
    response = api_for(request.getfixturevalue(viewer)).patch(
        f"/api/v1/planning/monthly-plans/{doc.pk}/",
        {"clients_to_visit": 9, "key_clients_to_visit": 3},
        format="json",
        HTTP_IF_MATCH=str(doc.version),
    )
    doc.refresh_from_db()
    if viewer == "account_manager":
        assert response.status_code == 200 and response.json()["key_share"] == 33.3
        assert doc.clients_to_visit == 9
    else:
        assert response.status_code == (403 if viewer in SEES_AM else 404)
        assert doc.clients_to_visit == 0


def test_create_patch_stale_and_submit(account_manager, supervisor, api_for):
    api = api_for(account_manager)
    created = api.post(
        "/api/v1/planning/weekly-summaries/",
        {"week": "2026-10-08", "plan_sound": True, "soundness": "安排合理"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["week"] == "2026-10-05" and body["plan_sound"] is True and body["progress"] == []
    again = api.post("/api/v1/planning/weekly-summaries/", {"week": "2026-10-05"}, format="json")
    assert again.status_code == 400
    url = f"/api/v1/planning/weekly-summaries/{body['id']}/"
    assert api.patch(url, {"notes": "x"}, format="json").status_code == 400  # the version is required
    assert api.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH="9").status_code == 409
    changed = api.patch(url, {"effective": False}, format="json", HTTP_IF_MATCH=str(body["version"]))
    assert changed.status_code == 200 and changed.json()["effective"] is False
    submitted = api.post(f"{url}submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    reviewed = api_for(supervisor).post(f"{url}review/", {"comment": "已阅"}, format="json")
    assert reviewed.json()["state"] == "reviewed" and reviewed.json()["comment"] == "已阅"


def test_monthly_plan_detail_has_the_indicators(account_manager, supervisor, api_for):
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=date(2026, 10, 1),
        lines={"insurance": {"target": "12"}},
    )
    register(account_manager, {("insurance", date(2026, 9, 10)): "10"})
    body = (
        api_for(account_manager)
        .post("/api/v1/planning/monthly-plans/", {"month": "2026-10"}, format="json")
        .json()
    )
    row = next(row for row in body["indicators"] if row["item"] == "insurance")
    assert (row["last_month"], row["target"], row["mom"], row["yoy"]) == ("10.00", "12.00", 20.0, None)
    assert MonthlyPlan.objects.get().month == date(2026, 10, 1)


def test_list_filters(account_manager, team2_manager, supervisor, api_for):
    for person in (account_manager, team2_manager):
        plan_document_save(actor=person, kind="arrangement", period=date(2026, 10, 5), data={})
    plan_document_save(actor=account_manager, kind="arrangement", period=date(2026, 10, 12), data={})
    api = api_for(supervisor)
    rows = api.get(f"/api/v1/planning/weekly-arrangements/?owner={account_manager.pk}").json()["results"]
    assert [row["week"] for row in rows] == ["2026-10-12", "2026-10-05"]
    rows = api.get("/api/v1/planning/weekly-arrangements/?period_from=2026-10-12").json()["results"]
    assert len(rows) == 1
    assert api.get("/api/v1/planning/weekly-arrangements/?state=nonsense").status_code == 400
    assert WeeklyArrangement.objects.count() == 3


@pytest.mark.parametrize("viewer", ROLES)
def test_board_by_role(request, arrangement, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/planning/board/?date=2026-10-05")
    assert response.status_code == 200
    rows = {row["staff"]["employee_no"]: row for row in response.json()["rows"]}
    am = request.getfixturevalue("account_manager")
    if viewer in REVIEWS_AM:
        cell = next(cell for cell in rows[am.employee_no]["cells"] if cell["kind"] == "arrangement")
        assert cell["state"] == "submitted" and cell["id"] == arrangement.pk and not cell["overdue"]
    else:
        assert am.employee_no not in rows
    assert api_for(request.getfixturevalue(viewer)).get("/api/v1/planning/board/?date=x").status_code == 400
