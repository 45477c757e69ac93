"""API of the ladder and pay, per role: proposals (scoped), decisions (appraisal admin), rules, pay."""

import pytest

from amdesk.appraisal.models import LadderProposal

from .ladder_helpers import two_closed_months

pytestmark = pytest.mark.django_db
URL = "/api/v1/appraisal/"


@pytest.fixture
def closed(preset, account_manager, team2_manager, other_manager, appraisal_admin):
    return two_closed_months(account_manager, team2_manager, other_manager, appraisal_admin)


def staff_of(response):
    return sorted(row["staff"]["employee_no"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("account_manager", {"am"}),
        ("supervisor", {"am", "am_team2"}),
        ("other_supervisor", set()),
        ("appraisal_admin", {"am", "am_team2"}),
    ],
)
def test_proposals_are_listed_within_the_callers_scope(
    closed, api_for, request, who, sees, account_manager, team2_manager
):
    names = {account_manager.employee_no: "am", team2_manager.employee_no: "am_team2"}
    response = api_for(request.getfixturevalue(who)).get(f"{URL}ladder-proposals/")
    assert response.status_code == 200
    assert {names[no] for no in staff_of(response)} == sees


def test_proposals_filter_by_state_and_refuse_a_bad_one(closed, api_for, appraisal_admin):
    api = api_for(appraisal_admin)
    assert len(api.get(f"{URL}ladder-proposals/?state=approved").json()["results"]) == 0
    row = api.get(f"{URL}ladder-proposals/?state=pending").json()["results"][0]
    assert row["direction"] in ("promote", "demote") and row["basis"]
    bad = api.get(f"{URL}ladder-proposals/?state=maybe")
    assert bad.status_code == 400 and "state" in bad.json()["fields"]


def test_the_admin_decides_once_and_the_second_decision_is_a_conflict(
    closed, api_for, appraisal_admin, account_manager
):
    proposal = LadderProposal.objects.get(staff=account_manager)
    api = api_for(appraisal_admin)

    missing = api.post(
        f"{URL}ladder-proposals/{proposal.pk}/decide/", {"approve": True, "reason": ""}, format="json"
    )
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    done = api.post(
        f"{URL}ladder-proposals/{proposal.pk}/decide/", {"approve": True, "reason": "优秀"}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "approved"
    assert done.json()["decided_by"]["id"] == appraisal_admin.pk
    again = api.post(
        f"{URL}ladder-proposals/{proposal.pk}/decide/", {"approve": False, "reason": "撤回"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "stale"
    account_manager.refresh_from_db()
    assert account_manager.grade.code == "director-2"


@pytest.mark.parametrize(
    ("who", "status"), [("account_manager", 403), ("supervisor", 403), ("other_supervisor", 404)]
)
def test_others_cannot_decide(closed, api_for, request, who, status, account_manager):
    proposal = LadderProposal.objects.get(staff=account_manager)
    response = api_for(request.getfixturevalue(who)).post(
        f"{URL}ladder-proposals/{proposal.pk}/decide/", {"approve": True, "reason": "同意"}, format="json"
    )
    assert response.status_code == status
    assert LadderProposal.objects.get(pk=proposal.pk).state == "pending"


def test_ladder_rules_are_read_with_the_rule_in_words(closed, api_for, account_manager):
    rows = api_for(account_manager).get(f"{URL}ladder-rules/").json()
    [director] = [row for row in rows if row["grade"]["code"] == "director-1"]
    assert director["promotion"] == "连续2个考核期得分≥85"
    assert director["promote_periods"] == 2


@pytest.mark.parametrize(
    ("who", "lines"),
    [
        ("account_manager", {"am"}),
        ("supervisor", {"am", "am_team2"}),
        ("other_supervisor", {"am_other"}),
        ("appraisal_admin", {"am", "am_team2", "am_other"}),
    ],
)
def test_pay_lines_per_role(
    closed, api_for, request, who, lines, account_manager, team2_manager, other_manager
):
    names = {p.employee_no: p.username for p in (account_manager, team2_manager, other_manager)}
    response = api_for(request.getfixturevalue(who)).get(f"{URL}pay/?period={closed.pk}")
    assert response.status_code == 200
    assert {names[row["staff"]["employee_no"]] for row in response.json()} == lines
    for row in response.json():
        assert row["performance"]["reason"] and row["base"]["reason"]


def test_pay_needs_a_valid_period(closed, api_for, appraisal_admin):
    api = api_for(appraisal_admin)
    assert api.get(f"{URL}pay/").status_code == 400
    assert api.get(f"{URL}pay/?period=abc").status_code == 400
    assert api.get(f"{URL}pay/?period=999999").status_code == 404
