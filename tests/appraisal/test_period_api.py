"""The API of periods and score cards: each role's scope and rights."""

import pytest

from amdesk.appraisal.models import AppraisalPeriod, ScoreCard

from .periods_helpers import computed_may, indicator, scheme_with

pytestmark = pytest.mark.django_db
BASE = "/api/v1/appraisal"


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)}
    )


def people_seen(api) -> set[str]:
    body = api.get(f"{BASE}/cards/").json()
    return {row["staff"]["name"] for row in body["results"]}


def test_card_list_is_scoped_per_role(
    may, api_for, account_manager, team2_manager, other_manager, supervisor, branch_head, appraisal_admin
):
    everyone = {account_manager.full_name, team2_manager.full_name, other_manager.full_name}
    assert people_seen(api_for(account_manager)) == {account_manager.full_name}
    assert people_seen(api_for(supervisor)) == {account_manager.full_name, team2_manager.full_name}
    assert people_seen(api_for(branch_head)) == everyone
    assert people_seen(api_for(appraisal_admin)) == everyone


def test_card_detail_explains_and_hides_others(may, api_for, account_manager, other_manager, supervisor):
    card = ScoreCard.objects.get(period=may, staff=account_manager)
    body = api_for(account_manager).get(f"{BASE}/cards/{card.pk}/").json()
    assert body["card"]["score"] == "72.00"
    assert [line["indicator"] for line in body["lines"]] == ["sales", "complaints"]
    assert body["lines"][0]["contribution"] == pytest.approx(48.0)
    assert body["raise_most"][0]["indicator"] == "complaints"
    assert api_for(other_manager).get(f"{BASE}/cards/{card.pk}/").status_code == 404
    assert api_for(supervisor).get(f"{BASE}/cards/{card.pk}/").status_code == 200


def test_adjust_through_the_api(may, api_for, appraisal_admin, account_manager, supervisor):
    card = ScoreCard.objects.get(period=may, staff=account_manager)
    result = card.results.get(scheme_indicator__indicator__code="sales")
    url = f"{BASE}/results/{result.pk}/"
    assert (
        api_for(supervisor).patch(url, {"adjusted_value": "100", "reason": "x"}, format="json").status_code
        == 404
    )
    missing = api_for(appraisal_admin).patch(url, {"adjusted_value": "100", "reason": ""}, format="json")
    assert missing.status_code == 400 and missing.json()["fields"]["reason"] == ["请填写原因。"]
    done = api_for(appraisal_admin).patch(
        url, {"adjusted_value": "100", "reason": "补录", "revision": may.revision}, format="json"
    )
    assert done.status_code == 200 and done.json()["card"]["score"] == "84.00"
    stale = api_for(appraisal_admin).patch(
        url, {"adjusted_value": "90", "reason": "再改", "revision": may.revision}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"


def test_period_workflow_through_the_api(
    may, api_for, appraisal_admin, supervisor, other_supervisor, account_manager, org
):
    admin = api_for(appraisal_admin)
    refused = admin.post(f"{BASE}/periods/{may.pk}/approve/", {}, format="json")
    assert refused.status_code == 400 and "以下团队尚未上交考核表" in str(refused.json())
    assert (
        api_for(account_manager)
        .post(f"{BASE}/periods/{may.pk}/sign-off/", {"org_node": org.tm1.pk}, format="json")
        .status_code
        == 403
    )
    for person, node in ((supervisor, org.tm1), (supervisor, org.tm2), (other_supervisor, org.tm3)):
        assert (
            api_for(person)
            .post(f"{BASE}/periods/{may.pk}/sign-off/", {"org_node": node.pk}, format="json")
            .status_code
            == 200
        )
    approved = admin.post(f"{BASE}/periods/{may.pk}/approve/", {}, format="json").json()
    assert approved["state"] == "approved"
    assert admin.post(f"{BASE}/periods/{may.pk}/run/", {}, format="json").status_code == 400
    reopened = admin.post(f"{BASE}/periods/{may.pk}/reopen/", {"reason": "复核"}, format="json").json()
    assert reopened["state"] == "computed" and reopened["reopen_reason"] == "复核"
    assert (
        admin.post(
            f"{BASE}/periods/{may.pk}/run/", {"revision": reopened["revision"]}, format="json"
        ).status_code
        == 200
    )


def test_open_and_list_periods(preset, api_for, appraisal_admin, supervisor, account_manager):
    scheme = scheme_with([(indicator("o"), "c", 1.0, 1.0, {})], kind="quarter")
    assert (
        api_for(supervisor)
        .post(f"{BASE}/periods/", {"scheme": scheme.pk, "start": "2026-05-20"}, format="json")
        .status_code
        == 403
    )
    created = api_for(appraisal_admin).post(
        f"{BASE}/periods/", {"scheme": scheme.pk, "start": "2026-05-20"}, format="json"
    )
    assert created.status_code == 201
    assert (created.json()["start"], created.json()["end"], created.json()["label"]) == (
        "2026-04-01",
        "2026-06-30",
        "2026Q2",
    )
    bad = api_for(appraisal_admin).post(
        f"{BASE}/periods/", {"scheme": scheme.pk, "start": "9999-01-01"}, format="json"
    )
    assert bad.status_code == 400
    listed = api_for(account_manager).get(f"{BASE}/periods/").json()
    assert [row["state"] for row in listed] == [AppraisalPeriod.State.OPEN]
