"""The planning API: scope (404 not 403), who may write what, stale writes, the month sheet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from amdesk.planning.models import PerformanceEntry, WorkLog
from tests.orgs.factories import StaffFactory
from tests.planning.factories import last_working_day, register, write_log

pytestmark = pytest.mark.django_db

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
# Whose logs each role sees ("mine" = account_manager, TM1; "team2" = TM2; "other" = TM3).
SEES = {
    "account_manager": {"mine"},
    "team2_manager": {"team2"},
    "supervisor": {"mine", "team2"},
    "other_supervisor": {"other"},
    "branch_head": {"mine", "team2", "other"},
    "admin": {"mine", "team2", "other"},
}
REVIEWS = {"supervisor", "branch_head", "admin"}  # may review "mine"


@pytest.fixture
def logs(account_manager, team2_manager, other_manager):
    day = last_working_day()
    return {
        "mine": write_log(account_manager, day, submit=True),
        "team2": write_log(team2_manager, day, submit=True),
        "other": write_log(other_manager, day, submit=True),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_callers_get_nothing(logs):
    assert APIClient().get("/api/v1/planning/logs/").status_code == 401


@pytest.mark.parametrize("viewer", ROLES)
def test_log_list_by_role(request, logs, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/planning/logs/")
    assert ids(response) == {logs[key].pk for key in SEES[viewer]}
    assert "count" not in response.json()  # keyset pages


@pytest.mark.parametrize("viewer", ROLES)
@pytest.mark.parametrize("key", ["mine", "team2", "other"])
def test_log_detail_by_role(request, logs, api_for, viewer, key):
    response = api_for(request.getfixturevalue(viewer)).get(f"/api/v1/planning/logs/{logs[key].pk}/")
    if key in SEES[viewer]:
        assert response.status_code == 200
        body = response.json()
        assert body["owner"]["id"] == logs[key].owner_id and body["openings"] == [
            {"item": "fund", "count": 2}
        ]
        assert [event["action"] for event in body["events"]] == ["create", "submit"]
    else:
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("viewer", ROLES)
def test_review_by_role(request, logs, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).post(
        f"/api/v1/planning/logs/{logs['mine'].pk}/review/", {"comment": "已阅"}, format="json"
    )
    if viewer in REVIEWS:
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "reviewed" and response.json()["comment"] == "已阅"
    elif "mine" in SEES[viewer]:  # the owner sees it but does not review it
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert WorkLog.objects.get(pk=logs["mine"].pk).state == ("reviewed" if viewer in REVIEWS else "submitted")


def test_write_submit_return_and_edit_again(api_for, account_manager, supervisor):
    am, sup = api_for(account_manager), api_for(supervisor)
    day = last_working_day().isoformat()
    response = am.post(
        "/api/v1/planning/logs/",
        {
            "day": day,
            "prospects_visited": 2,
            "problems": "U盾不足",
            "openings": [{"item": "fund", "count": 1}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    log = response.json()
    assert log["state"] == "draft" and log["version"] == 1 and log["actions"] == ["submit"]
    again = am.post("/api/v1/planning/logs/", {"day": day}, format="json")
    assert again.status_code == 400 and "day" in again.json()["fields"]
    # PATCH needs the version read
    assert am.patch(f"/api/v1/planning/logs/{log['id']}/", {"other": "x"}, format="json").status_code == 400
    patched = am.patch(f"/api/v1/planning/logs/{log['id']}/", {"other": "x", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = am.patch(f"/api/v1/planning/logs/{log['id']}/", {"other": "y"}, format="json", HTTP_IF_MATCH="1")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    submitted = am.post(f"/api/v1/planning/logs/{log['id']}/submit/", {"version": 2}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    # the supervisor returns it: a comment is required
    no_comment = sup.post(f"/api/v1/planning/logs/{log['id']}/return/", {}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["fields"]
    returned = sup.post(f"/api/v1/planning/logs/{log['id']}/return/", {"comment": "请补充"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    # the AM sees the comment, edits and submits again
    mine = am.get(f"/api/v1/planning/logs/{log['id']}/").json()
    assert mine["comment"] == "请补充" and mine["actions"] == ["submit"]
    version = mine["version"]
    assert (
        am.patch(
            f"/api/v1/planning/logs/{log['id']}/", {"problems": "已补货", "version": version}, format="json"
        ).status_code
        == 200
    )
    assert am.post(f"/api/v1/planning/logs/{log['id']}/submit/", format="json").json()["state"] == "submitted"


def test_supervisor_cannot_write_someone_elses_log(logs, api_for, supervisor):
    log = WorkLog.objects.get(pk=logs["mine"].pk)
    response = api_for(supervisor).patch(
        f"/api/v1/planning/logs/{log.pk}/", {"other": "x", "version": log.version}, format="json"
    )
    assert response.status_code == 403


def test_log_list_filters(logs, api_for, supervisor, team2_manager):
    api = api_for(supervisor)
    assert ids(api.get("/api/v1/planning/logs/", {"owner": team2_manager.pk})) == {logs["team2"].pk}
    assert ids(api.get("/api/v1/planning/logs/", {"state": "draft"})) == set()
    assert api.get("/api/v1/planning/logs/", {"state": "nonsense"}).status_code == 400


def test_log_list_queries_do_not_grow_with_rows(org, api_for, supervisor):
    api = api_for(supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/planning/logs/").status_code == 200
        return len(captured)

    for _ in range(3):
        write_log(StaffFactory(org_node=org.tm1), submit=True)
    count()
    few = count()
    for _ in range(27):
        write_log(StaffFactory(org_node=org.tm2), submit=True)
    assert count() == few


@pytest.mark.parametrize("viewer", ROLES)
def test_missing_logs_by_role(request, logs, api_for, viewer, account_manager, team2_manager, other_manager):
    day = last_working_day(last_working_day())  # the day before the logs: missing for everyone
    response = api_for(request.getfixturevalue(viewer)).get(
        "/api/v1/planning/missing-logs/", {"date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    assert response.status_code == 200, response.json()
    owners = {"mine": account_manager, "team2": team2_manager, "other": other_manager}
    expected = {owners[key].pk for key in SEES[viewer]}
    assert {row["staff"]["id"] for row in response.json()} == expected
    assert all(row["days"] == [day.isoformat()] and row["count"] == 1 for row in response.json())


def test_missing_logs_period_is_checked(api_for, supervisor):
    api = api_for(supervisor)
    assert (
        api.get(
            "/api/v1/planning/missing-logs/", {"date_from": "2026-05-10", "date_to": "2026-05-01"}
        ).status_code
        == 400
    )
    assert (
        api.get(
            "/api/v1/planning/missing-logs/", {"date_from": "2025-01-01", "date_to": "2026-05-01"}
        ).status_code
        == 400
    )
    assert api.get("/api/v1/planning/missing-logs/", {"date_from": "x"}).status_code == 400


# Performance -------------------------------------------------------------------------------------


def test_performance_sheet_get_and_put_with_version(api_for, account_manager):
    api = api_for(account_manager)
    day = last_working_day()
    month = day.strftime("%Y-%m")
    empty = api.get("/api/v1/planning/performance/", {"month": month}).json()
    assert empty["version"] == 0 and empty["cells"] == [] and empty["items"][0]["code"] == "insurance"
    body = {
        "month": month,
        "version": 0,
        "cells": [{"item": "insurance", "day": day.isoformat(), "value": "3"}],
    }
    saved = api.put("/api/v1/planning/performance/", body, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["version"] == 1
    assert saved.json()["cells"] == [{"item": "insurance", "day": day.isoformat(), "value": "3.00"}]
    assert {"item": "insurance", "total": "3.00"} in saved.json()["totals"]
    # the same version again: someone else saved meanwhile
    body["cells"][0]["value"] = "9"
    stale = api.put("/api/v1/planning/performance/", body, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert PerformanceEntry.objects.get().value == 3
    cleared = api.put(
        "/api/v1/planning/performance/",
        {
            "month": month,
            "version": 1,
            "cells": [{"item": "insurance", "day": day.isoformat(), "value": None}],
        },
        format="json",
    )
    assert cleared.status_code == 200 and cleared.json()["cells"] == []


@pytest.mark.parametrize("viewer", ROLES)
@pytest.mark.parametrize("key", ["mine", "team2", "other"])
def test_performance_sheet_by_role(
    request, api_for, viewer, key, account_manager, team2_manager, other_manager
):
    owners = {"mine": account_manager, "team2": team2_manager, "other": other_manager}
    day = last_working_day()
    register(owners[key], {("insurance", day): "1"})
    response = api_for(request.getfixturevalue(viewer)).get(
        "/api/v1/planning/performance/", {"month": day.strftime("%Y-%m"), "owner": owners[key].pk}
    )
    if key in SEES[viewer]:
        assert response.status_code == 200 and response.json()["owner"]["id"] == owners[key].pk
        assert len(response.json()["cells"]) == 1
    else:
        assert response.status_code == 404
