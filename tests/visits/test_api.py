"""The visit API: scope (404 not 403), who may write what, stale edits, schedules, findings, inspections."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.accounts.services import api_token_issue
from amdesk.visits.models import ChecklistItem, LoanInspection, Visit, VisitSchedule
from amdesk.visits.services import inspection_add, schedule_entry_add, schedule_propose, week_of
from tests.clients.factories import make_client, set_holding
from tests.visits.factories import SIGNATURE, place, record_visit

FRAUD = "common-suspected-fraud"  # an anomaly kind of the bank preset
ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
# Who sees the records of which account manager ("mine" = account_manager, TM1; "team2" = TM2; "other" = TM3).
SEES = {
    "account_manager": {"mine"},
    "team2_manager": {"team2"},
    "supervisor": {"mine", "team2"},
    "other_supervisor": {"other"},
    "branch_head": {"mine", "team2", "other"},
    "admin": {"mine", "team2", "other"},
}


def yesterday():
    # Visits are recorded once they took place: yesterday's 10:00 is in the past at any hour of a run.
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def items(db):
    """Our own checklist lines, whatever the preset ships."""
    visit_item = ChecklistItem.objects.update_or_create(
        code="api-products", defaults={"name": "介绍产品（接口测试）", "purpose": ChecklistItem.Purpose.VISIT}
    )[0]
    risk_item = ChecklistItem.objects.update_or_create(
        code="api-risk-overdue",
        defaults={"name": "逾期（接口测试）", "purpose": ChecklistItem.Purpose.RISK_SIGNAL},
    )[0]
    return SimpleNamespace(visit=visit_item, risk=risk_item)


@pytest.fixture
def clients(account_manager, team2_manager, other_manager):
    return {
        "mine": make_client(account_manager, "王小明"),
        "team2": make_client(team2_manager, "李四"),
        "other": make_client(other_manager, "赵敏"),
    }


@pytest.fixture
def visits(clients, account_manager, team2_manager, other_manager):
    day = yesterday()
    return {
        # unsigned, so its author may still change and sign it
        "mine": record_visit(account_manager, clients["mine"], day, signed=False),
        "team2": record_visit(team2_manager, clients["team2"], day),
        "other": record_visit(other_manager, clients["other"], day),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_token_callers_see_their_scope_and_anonymous_ones_nothing(visits, account_manager):
    api = APIClient()
    assert api.get("/api/v1/visits/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=account_manager)[1]}")
    assert ids(api.get("/api/v1/visits/")) == {visits["mine"].pk}


# Visit records ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ROLES)
def test_visit_list_by_role(request, visits, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/visits/")
    assert ids(response) == {visits[key].pk for key in SEES[viewer]}
    assert "count" not in response.json()  # keyset pages
    assert all("signature" not in row for row in response.json()["results"])


@pytest.mark.parametrize("viewer", ROLES)
@pytest.mark.parametrize("key", ["mine", "team2", "other"])
def test_visit_detail_by_role(request, visits, api_for, viewer, key):
    response = api_for(request.getfixturevalue(viewer)).get(f"/api/v1/visits/{visits[key].pk}/")
    if key in SEES[viewer]:
        assert response.status_code == 200
        assert response.json()["client"]["id"] == visits[key].client_id
        assert "signature" not in response.json()
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_visit_list_filters(visits, api_for, supervisor, team2_manager, clients):
    api = api_for(supervisor)
    assert ids(api.get("/api/v1/visits/", {"owner": team2_manager.pk})) == {visits["team2"].pk}
    assert ids(api.get("/api/v1/visits/", {"client": clients["mine"].pk})) == {visits["mine"].pk}
    assert ids(api.get("/api/v1/visits/", {"kind": "special"})) == set()
    assert ids(api.get("/api/v1/visits/", {"mode": "on_site", "date_from": yesterday().isoformat()})) == {
        visits["mine"].pk,
        visits["team2"].pk,
    }
    assert (
        ids(api.get("/api/v1/visits/", {"date_to": (yesterday() - timedelta(days=1)).isoformat()})) == set()
    )
    bad = api.get("/api/v1/visits/", {"date_from": "last week", "mode": "fax"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"date_from", "mode"}


def test_visit_list_pages_by_keyset(account_manager, api_for, clients):
    client = clients["mine"]
    for days in range(1, 6):
        record_visit(account_manager, client, timezone.localdate() - timedelta(days=days))
    api = api_for(account_manager)
    first = api.get("/api/v1/visits/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    seen = [row["visited_on"] for page in (first, second, third) for row in page["results"]]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 5
    assert third["next"] is None
    assert [row["id"] for row in api.get(second["previous"]).json()["results"]] == [
        row["id"] for row in first["results"]
    ]
    assert api.get("/api/v1/visits/", {"cursor": "bm9wZQ=="}).status_code == 404


def test_an_am_records_a_visit_to_his_client(account_manager, api_for, clients, items):
    started = timezone.now() - timedelta(hours=1)
    response = api_for(account_manager).post(
        "/api/v1/visits/",
        {
            "client": clients["mine"].pk,
            "mode": "on_site",
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=45)).isoformat(),
            "latitude": "30.274100",
            "longitude": "120.155100",
            "checklist": [items.visit.code],
            "opinions": "希望提高信用卡额度",
            "next_step": "送理财规划书",
            "next_step_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "signer_name": "王小明",
            "signature": SIGNATURE,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["owner"]["id"] == account_manager.pk and data["client"]["name"] == "王小明"
    assert data["minutes"] == 45 and data["planned"] is False and data["is_signed"] is True
    assert data["checklist"] == [items.visit.code] and data["checklist_labels"] == [items.visit.name]
    assert data["findings"] == [] and "signature" not in data
    assert Visit.objects.get(pk=data["id"]).signature == SIGNATURE  # kept, never sent back


def test_recording_a_visit_checks_client_scope_and_content(account_manager, api_for, clients, items):
    api = api_for(account_manager)
    started = (timezone.now() - timedelta(hours=1)).isoformat()
    # another team's client: not found, nothing recorded
    other = api.post(
        "/api/v1/visits/",
        {"client": clients["team2"].pk, "started_at": started, "signature": SIGNATURE},
        format="json",
    )
    assert other.status_code == 404 and not Visit.objects.exists()
    # an on-site visit without signature or reason, an unknown checklist item
    bad = api.post(
        "/api/v1/visits/",
        {"client": clients["mine"].pk, "started_at": started, "checklist": ["no-such-item"]},
        format="json",
    )
    assert bad.status_code == 400 and "checklist" in bad.json()["fields"]
    unsigned = api.post(
        "/api/v1/visits/", {"client": clients["mine"].pk, "started_at": started}, format="json"
    )
    assert unsigned.status_code == 400 and "unsigned_reason" in unsigned.json()["fields"]
    phone = api.post(
        "/api/v1/visits/",
        {"client": clients["mine"].pk, "mode": "phone", "started_at": started},
        format="json",
    )
    assert phone.status_code == 201 and phone.json()["is_signed"] is False


def test_only_the_author_changes_a_visit_and_stale_edits_are_refused(
    visits, api_for, account_manager, supervisor, other_supervisor
):
    url = f"/api/v1/visits/{visits['mine'].pk}/"
    body = {"opinions": "客户想了解大额存单", "version": 1}
    assert api_for(supervisor).patch(url, body, format="json").status_code == 403
    assert api_for(other_supervisor).patch(url, body, format="json").status_code == 404
    api = api_for(account_manager)
    missing = api.patch(url, {"opinions": "x"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["fields"]
    # Given the AM saves a change on version 1
    first = api.patch(url, {**body, "market_anomaly": "隔壁店低价倾销"}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 2 and first.json()["opinions"] == "客户想了解大额存单"
    assert first.json()["findings"] == [{"kind": "market_anomaly", "outcome": None, "closed_at": None}]
    # When a second form opened on version 1 saves
    stale = api.patch(url, {"effect": "客户满意"}, format="json", HTTP_IF_MATCH='"1"')
    # Then it is refused and the first change stays
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert Visit.objects.get(pk=visits["mine"].pk).effect == ""


def test_only_the_author_collects_the_signature(visits, api_for, account_manager, supervisor):
    pk = visits["mine"].pk
    url = f"/api/v1/visits/{pk}/sign/"
    assert api_for(supervisor).post(url, {"signature": SIGNATURE}, format="json").status_code == 403
    api = api_for(account_manager)
    bad = api.post(url, {"signature": "data:image/jpeg;base64,AAAA"}, format="json")
    assert bad.status_code == 400 and "signature" in bad.json()["fields"]
    signed = api.post(url, {"signature": SIGNATURE, "signer_name": "王小明"}, format="json")
    assert signed.status_code == 200, signed.json()
    data = signed.json()
    assert data["is_signed"] and data["signer_name"] == "王小明" and data["unsigned_reason"] == ""
    assert "signature" not in data
    assert api.post(url, {"signature": SIGNATURE}, format="json").status_code == 400  # signed once
    # a signed record no longer changes
    assert (
        api.patch(
            f"/api/v1/visits/{pk}/", {"effect": "x", "version": data["version"]}, format="json"
        ).status_code
        == 403
    )


def test_a_visit_fulfils_the_ams_schedule_entry(account_manager, team2_manager, api_for, clients):
    today = timezone.localdate()
    schedule = schedule_propose(owner=account_manager, week_start=today).schedule
    entry = schedule_entry_add(actor=account_manager, schedule=schedule, client=clients["mine"], day=today)
    body = {
        "client": clients["mine"].pk,
        "entry": entry.pk,
        "mode": "phone",
        "started_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
    }
    # another AM cannot even see the entry
    assert api_for(team2_manager).post("/api/v1/visits/", body, format="json").status_code == 404
    response = api_for(account_manager).post("/api/v1/visits/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["planned"] is True and response.json()["entry"] == entry.pk
    detail = api_for(account_manager).get(f"/api/v1/visit-schedules/{schedule.pk}/").json()
    [row] = [row for row in detail["entries"] if row["id"] == entry.pk]
    assert row["visited"] is True and row["visit"] == response.json()["id"]


def test_visit_list_queries_are_bounded(
    django_assert_max_num_queries, api_for, branch_head, account_manager, items
):
    for n in range(6):
        client = make_client(account_manager, f"客户{n}")
        place(client, 30.27 + n / 100, 120.15, "西湖区")
        record_visit(
            account_manager,
            client,
            yesterday(),
            checklist=[items.visit.code],
            market_anomaly="附近有人推销高息理财",
            anomalies=[FRAUD],
        )
    api = api_for(branch_head)
    api.get("/api/v1/visits/")  # the viewer's scope is read once per user
    # the page, the findings of its rows, the checklist names
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/visits/")
    rows = response.json()["results"]
    assert len(rows) == 6 and all(len(row["findings"]) == 2 for row in rows)
    assert all(row["checklist_labels"] == [items.visit.name] for row in rows)


# Schedules ----------------------------------------------------------------------------------


@pytest.fixture
def schedules(account_manager, team2_manager, other_manager):
    monday = week_of(timezone.localdate())
    return {
        key: schedule_propose(owner=owner, week_start=monday).schedule
        for key, owner in [("mine", account_manager), ("team2", team2_manager), ("other", other_manager)]
    }


@pytest.mark.parametrize("viewer", ROLES)
def test_schedule_list_and_detail_by_role(request, schedules, api_for, viewer):
    api = api_for(request.getfixturevalue(viewer))
    assert ids(api.get("/api/v1/visit-schedules/")) == {schedules[key].pk for key in SEES[viewer]}
    for key, schedule in schedules.items():
        expected = 200 if key in SEES[viewer] else 404
        assert api.get(f"/api/v1/visit-schedules/{schedule.pk}/").status_code == expected


def test_schedule_list_filters(schedules, api_for, supervisor, team2_manager):
    api = api_for(supervisor)
    thursday = week_of(timezone.localdate()) + timedelta(days=3)
    both = {schedules["mine"].pk, schedules["team2"].pk}
    assert ids(api.get("/api/v1/visit-schedules/", {"week": thursday.isoformat()})) == both
    next_week = (thursday + timedelta(days=7)).isoformat()
    assert ids(api.get("/api/v1/visit-schedules/", {"week": next_week})) == set()
    assert ids(api.get("/api/v1/visit-schedules/", {"owner": team2_manager.pk})) == {schedules["team2"].pk}
    assert ids(api.get("/api/v1/visit-schedules/", {"state": "submitted"})) == set()
    assert api.get("/api/v1/visit-schedules/", {"state": "lost"}).status_code == 400


def test_schedule_propose_edit_submit_and_review(
    account_manager, supervisor, other_supervisor, api_for, clients
):
    am, sup = api_for(account_manager), api_for(supervisor)
    monday = week_of(timezone.localdate())
    # Given the AM asks for a proposal for this week (any day of it)
    created = am.post("/api/v1/visit-schedules/", {"week_start": (monday + timedelta(days=2)).isoformat()})
    assert created.status_code == 201, created.json()
    schedule = created.json()
    assert schedule["week_start"] == monday.isoformat() and schedule["state"] == "proposed"
    assert schedule["owner"]["id"] == account_manager.pk and isinstance(schedule["left_over"], list)
    again = am.post("/api/v1/visit-schedules/", {"week_start": monday.isoformat()})
    assert again.status_code == 200 and again.json()["id"] == schedule["id"]
    url = f"/api/v1/visit-schedules/{schedule['id']}/"

    # When he puts his client on Tuesday's route
    tuesday = (monday + timedelta(days=1)).isoformat()
    added = am.post(
        f"{url}entries/",
        {"client": clients["mine"].pk, "day": tuesday, "strategy": "推荐大额存单"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    [entry] = [row for row in added.json()["entries"] if row["client"]["id"] == clients["mine"].pk]
    assert entry["day"] == tuesday and entry["reason"] == "manual" and entry["visited"] is False
    version = added.json()["version"]
    assert version == schedule["version"] + 1
    # another team's client is not found; the supervisor reads but does not edit;
    # another supervisor sees nothing
    assert am.post(f"{url}entries/", {"client": clients["team2"].pk, "day": tuesday}).status_code == 404
    assert sup.get(url).status_code == 200
    assert sup.post(f"{url}entries/", {"client": clients["mine"].pk, "day": tuesday}).status_code == 403
    assert api_for(other_supervisor).get(url).status_code == 404
    entry_url = f"{url}entries/{entry['id']}/"
    assert api_for(other_supervisor).patch(entry_url, {"position": 1}).status_code == 404

    # He moves it to Thursday; an edit based on the version before is refused
    thursday = (monday + timedelta(days=3)).isoformat()
    moved = am.patch(entry_url, {"day": thursday}, format="json", HTTP_IF_MATCH=str(version))
    assert moved.status_code == 200, moved.json()
    assert [row["day"] for row in moved.json()["entries"] if row["id"] == entry["id"]] == [thursday]
    stale = am.patch(entry_url, {"strategy": "x"}, format="json", HTTP_IF_MATCH=str(version))
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    outside = am.patch(entry_url, {"day": (monday + timedelta(days=7)).isoformat()}, format="json")
    assert outside.status_code == 400 and "day" in outside.json()["fields"]

    # He submits; the schedule is then closed to him, and only his supervisor reviews it
    submitted = am.post(f"{url}submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert am.patch(entry_url, {"strategy": "x"}, format="json").status_code == 400
    assert am.post(f"{url}review/", {"accept": True}).status_code == 403
    assert api_for(other_supervisor).post(f"{url}review/", {"accept": True}).status_code == 404
    unexplained = sup.post(f"{url}review/", {"accept": False}, format="json")
    assert unexplained.status_code == 400 and "comment" in unexplained.json()["fields"]
    returned = sup.post(f"{url}review/", {"accept": False, "comment": "周四客户太多"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert returned.json()["reviewer"]["id"] == supervisor.pk and returned.json()["is_editable"]

    # Returned, it is his to change again: he drops the entry, resubmits, and it is accepted
    removed = am.delete(entry_url)
    assert removed.status_code == 200 and entry["id"] not in {row["id"] for row in removed.json()["entries"]}
    assert am.post(f"{url}submit/").json()["state"] == "submitted"
    accepted = sup.post(f"{url}review/", {"accept": True, "comment": "同意"}, format="json")
    assert accepted.json()["state"] == "reviewed" and accepted.json()["comment"] == "同意"
    assert VisitSchedule.objects.get(pk=schedule["id"]).reviewer == supervisor


def test_schedule_list_queries_are_bounded(
    django_assert_max_num_queries, api_for, branch_head, account_manager, team2_manager, other_manager
):
    monday = week_of(timezone.localdate())
    for owner in (account_manager, team2_manager, other_manager):
        for weeks in range(3):
            schedule_propose(owner=owner, week_start=monday - timedelta(weeks=weeks))
    VisitSchedule.objects.filter(owner=team2_manager).update(reviewer=branch_head)
    api = api_for(branch_head)
    api.get("/api/v1/visit-schedules/")
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/visit-schedules/")
    assert len(response.json()["results"]) == 9


# Findings -----------------------------------------------------------------------------------


@pytest.fixture
def finding_visit(account_manager, clients):
    return record_visit(
        account_manager,
        clients["mine"],
        yesterday(),
        market_anomaly="附近有人推销高息理财",
        anomalies=[FRAUD],
    )


@pytest.mark.parametrize("viewer", ROLES)
def test_finding_list_by_role(request, finding_visit, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/visit-findings/")
    expected = 2 if "mine" in SEES[viewer] else 0
    assert len(ids(response)) == expected


def test_findings_are_closed_by_the_supervisor_only(
    finding_visit, api_for, account_manager, supervisor, other_supervisor
):
    am, sup = api_for(account_manager), api_for(supervisor)
    rows = {row["kind"]: row for row in am.get("/api/v1/visit-findings/", {"open": "true"}).json()["results"]}
    assert set(rows) == {"market_anomaly", FRAUD}
    assert rows[FRAUD]["kind_label"] == "疑似非法集资或诈骗"
    assert all(row["is_open"] and row["closed_by"] is None for row in rows.values())
    assert all(row["outcome"] is None for row in rows.values())
    url = f"/api/v1/visit-findings/{rows[FRAUD]['id']}/close/"
    assert am.post(url, {"outcome": "warning"}).status_code == 403
    assert api_for(other_supervisor).post(url, {"outcome": "warning"}).status_code == 404
    assert sup.post(url, {"outcome": "grade-review"}).status_code == 400  # say to which grade
    assert sup.post(url, {"outcome": "fined"}).status_code == 400
    assert sup.post(url, {"outcome": "downgrade-request"}).status_code == 400  # tobacco's, not a bank's
    assert sup.post(url, {}).status_code == 400  # nothing is assumed
    closed = sup.post(url, {"outcome": "warning", "note": "已当面警告"}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["closed_by"]["id"] == supervisor.pk and not closed.json()["is_open"]
    assert sup.post(url, {"outcome": "warning"}).status_code == 400  # closed once
    still_open = am.get("/api/v1/visit-findings/", {"open": "true"}).json()["results"]
    assert [row["kind"] for row in still_open] == ["market_anomaly"]
    assert len(am.get("/api/v1/visit-findings/").json()["results"]) == 2
    assert am.get("/api/v1/visit-findings/", {"open": "perhaps"}).status_code == 400
    visit = am.get(f"/api/v1/visits/{finding_visit.pk}/").json()
    assert {row["kind"]: row["outcome"] for row in visit["findings"]} == {
        "market_anomaly": None,
        FRAUD: "warning",
    }


def test_finding_list_queries_are_bounded(
    django_assert_max_num_queries, api_for, supervisor, account_manager
):
    for n in range(5):
        record_visit(
            account_manager, make_client(account_manager, f"客户{n}"), yesterday(), market_anomaly="低价"
        )
    api = api_for(supervisor)
    for row in api.get("/api/v1/visit-findings/").json()["results"][:2]:
        api.post(f"/api/v1/visit-findings/{row['id']}/close/", {"outcome": "no-action"})
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/visit-findings/")
    assert len(response.json()["results"]) == 5


# Post-loan inspections ----------------------------------------------------------------------


def test_inspections_ad_hoc_overdue_and_recorded(
    account_manager, supervisor, other_supervisor, api_for, clients, items
):
    am, sup = api_for(account_manager), api_for(supervisor)
    today = timezone.localdate()
    loan = set_holding(clients["mine"], "mortgage", 500000)
    # Given an overdue ad-hoc inspection of the loan and one due next week
    overdue = am.post(
        "/api/v1/loan-inspections/",
        {
            "client": clients["mine"].pk,
            "loan": loan.pk,
            "due_on": yesterday().isoformat(),
            "reason": "大额还款逾期",
        },
        format="json",
    )
    assert overdue.status_code == 201, overdue.json()
    assert overdue.json()["kind"] == "ad_hoc" and overdue.json()["loan"]["id"] == loan.pk
    later = am.post(
        "/api/v1/loan-inspections/",
        {
            "client": clients["mine"].pk,
            "due_on": (today + timedelta(days=7)).isoformat(),
            "reason": "经营异常",
        },
        format="json",
    )
    assert later.status_code == 201
    # another team's client is not found; a loan of another client is refused
    other_client = {"client": clients["team2"].pk, "due_on": today.isoformat(), "reason": "x"}
    assert am.post("/api/v1/loan-inspections/", other_client, format="json").status_code == 404
    other_loan = set_holding(clients["team2"], "mortgage", 100000)
    wrong = am.post(
        "/api/v1/loan-inspections/",
        {"client": clients["mine"].pk, "loan": other_loan.pk, "due_on": today.isoformat(), "reason": "x"},
        format="json",
    )
    assert wrong.status_code == 400 and "loan" in wrong.json()["fields"]

    assert ids(sup.get("/api/v1/loan-inspections/", {"overdue": "true"})) == {overdue.json()["id"]}
    assert ids(api_for(other_supervisor).get("/api/v1/loan-inspections/")) == set()
    url = f"/api/v1/loan-inspections/{overdue.json()['id']}/"
    assert api_for(other_supervisor).get(url).status_code == 404
    assert sup.get(url).json()["reason"] == "大额还款逾期"

    # When the AM records the report (the supervisor may not)
    report = {
        "use_of_funds": "用于购房，与合同一致",
        "repayment_source": "工资收入",
        "risk_signals": [items.risk.code],
        "risk_level": "watch",
        "conclusion": "继续关注还款",
    }
    assert sup.post(f"{url}record/", report, format="json").status_code == 403
    incomplete = am.post(f"{url}record/", {**report, "use_of_funds": ""}, format="json")
    assert incomplete.status_code == 400 and "use_of_funds" in incomplete.json()["fields"]
    unknown = am.post(f"{url}record/", {**report, "risk_signals": ["no-such-signal"]}, format="json")
    assert unknown.status_code == 400 and "risk_signals" in unknown.json()["fields"]
    recorded = am.post(f"{url}record/", report, format="json")
    # Then it is done today and no longer overdue
    assert recorded.status_code == 200, recorded.json()
    data = recorded.json()
    assert (
        data["is_done"] and data["done_on"] == today.isoformat() and data["risk_signals"] == [items.risk.code]
    )
    assert am.post(f"{url}record/", report, format="json").status_code == 400  # recorded once
    assert ids(am.get("/api/v1/loan-inspections/", {"overdue": "true"})) == set()


def test_an_inspection_report_links_a_visit_to_the_same_client(account_manager, api_for, clients, items):
    inspection = inspection_add(
        actor=account_manager, client=clients["mine"], due_on=timezone.localdate(), reason="抽查"
    )
    visit = record_visit(account_manager, clients["mine"], yesterday(), kind=Visit.Kind.POST_LOAN)
    report = {"use_of_funds": "经营周转", "repayment_source": "经营收入", "risk_level": "normal"}
    url = f"/api/v1/loan-inspections/{inspection.pk}/record/"
    response = api_for(account_manager).post(url, {**report, "visit": visit.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["visit"] == visit.pk and response.json()["done_on"] == yesterday().isoformat()


def test_inspection_list_queries_are_bounded(
    django_assert_max_num_queries, api_for, supervisor, account_manager
):
    for n in range(5):
        client = make_client(account_manager, f"客户{n}")
        loan = set_holding(client, "consumer-loan", 20000 + n)
        inspection_add(
            actor=account_manager,
            client=client,
            loan=loan,
            due_on=yesterday() + timedelta(days=n),
            reason="抽查",
        )
    api = api_for(supervisor)
    api.get("/api/v1/loan-inspections/")
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/loan-inspections/")
    rows = response.json()["results"]
    assert len(rows) == 5 and all(row["loan"]["product"] for row in rows)
    assert LoanInspection.objects.count() >= 5
