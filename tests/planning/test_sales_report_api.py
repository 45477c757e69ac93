"""The monthly sales analysis report API: write, read with the prefill, stale update (409), steps,
scope (own, team supervisor, other supervisor 404)."""

from datetime import date

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/planning/sales-reports/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-11-03 10:00 +08:00", tick=False)


def test_write_read_update_and_steps(api_for, account_manager, supervisor, other_supervisor, branch_head):
    am = api_for(account_manager)
    created = am.post(URL, {"month": "2026-10", "problems": "理财到期流失"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    pk, version = body["id"], body["version"]
    assert body["month"] == "2026-10" and body["due_at"].startswith("2026-11-05")
    assert [section["title"] for section in body["sections"]][0]
    assert "aum" in body["figures"] and body["actions"] == ["submit"]
    # stale
    ok = am.patch(f"{URL}{pk}/", {"opinions": "好", "version": version}, format="json")
    assert ok.status_code == 200
    stale = am.patch(f"{URL}{pk}/", {"opinions": "坏", "version": version}, format="json")
    assert stale.status_code == 409
    # scope
    assert api_for(supervisor).get(f"{URL}{pk}/").status_code == 200
    assert api_for(branch_head).get(f"{URL}{pk}/").status_code == 200
    assert api_for(other_supervisor).get(f"{URL}{pk}/").status_code == 404
    assert api_for(other_supervisor).get(URL).json()["results"] == []
    assert [row["id"] for row in api_for(supervisor).get(URL, {"month": "2026-10"}).json()["results"]] == [pk]
    # steps
    submitted = am.post(f"{URL}{pk}/transition/", {"action": "submit"}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert submitted.json()["frozen"] is True
    refused = api_for(supervisor).post(f"{URL}{pk}/transition/", {"action": "return"}, format="json")
    assert refused.status_code == 400
    returned = api_for(supervisor).post(
        f"{URL}{pk}/transition/", {"action": "return", "comment": "补充对策"}, format="json"
    )
    assert returned.json()["state"] == "returned" and returned.json()["comment"] == "补充对策"
    assert am.post(f"{URL}{pk}/transition/", {"action": "review"}, format="json").status_code == 403
    # the supervisor cannot write the AM's text
    assert api_for(supervisor).patch(f"{URL}{pk}/", {"problems": "x"}, format="json").status_code in (
        403,
        404,
    )


def test_a_month_not_over_is_refused(api_for, account_manager):
    response = api_for(account_manager).post(URL, {"month": f"{date(2026, 11, 1):%Y-%m}"}, format="json")
    assert response.status_code == 400
