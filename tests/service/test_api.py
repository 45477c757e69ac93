"""The service API: scope (404, not 403) per role × list/detail/transition, stale writes (409),
opening, filters, keyset pages, the rating and the KPIs."""

import pytest
from rest_framework.test import APIClient

from amdesk.service.models import Ticket
from tests.clients.factories import make_client
from tests.service.factories import open_ticket, resolved_ticket, walk
from tests.visits.factories import record_visit

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
SEES = {
    "account_manager": {"mine"},
    "team2_manager": {"team2"},
    "supervisor": {"mine", "team2"},
    "other_supervisor": {"other"},
    "branch_head": {"mine", "team2", "other"},
    "admin": {"mine", "team2", "other"},
}


@pytest.fixture
def api_for():
    def make(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def tickets(account_manager, team2_manager, other_manager):
    return {
        "mine": open_ticket(account_manager, make_client(account_manager, "王小明")),
        "team2": open_ticket(team2_manager, make_client(team2_manager, "李四")),
        "other": open_ticket(other_manager, make_client(other_manager, "赵敏")),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_follow_the_scope(role, request, api_for, tickets):
    api = api_for(request.getfixturevalue(role))
    assert ids(api.get("/api/v1/tickets/")) == {tickets[key].pk for key in SEES[role]}
    for key, ticket in tickets.items():
        response = api.get(f"/api/v1/tickets/{ticket.pk}/")
        assert response.status_code == (200 if key in SEES[role] else 404)


# May give the first feedback on the account manager's ticket: the owner and those overseeing him.
GIVES_FEEDBACK = {
    "account_manager": 200,
    "team2_manager": 404,
    "supervisor": 200,
    "other_supervisor": 404,
    "branch_head": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_transition_follows_the_scope_and_the_workflow(role, request, api_for, tickets):
    ticket = tickets["mine"]
    api = api_for(request.getfixturevalue(role))
    response = api.post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        {"action": "give_first_feedback", "version": ticket.version, "data": {"message": "已回电说明"}},
        format="json",
    )
    assert response.status_code == GIVES_FEEDBACK[role], response.json()
    if response.status_code == 200:
        body = response.json()
        assert body["ticket_state"] == "first_feedback"
        assert [e["action"] for e in body["events"]] == ["open", "give_first_feedback"]


def test_the_actions_offered_and_refused(api_for, tickets, account_manager, supervisor):
    ticket = walk(tickets["mine"], account_manager, "give_first_feedback", "investigate", "request_approval")
    mine = api_for(account_manager).get(f"/api/v1/tickets/{ticket.pk}/transitions/")
    assert mine.json() == []
    boss = api_for(supervisor).get(f"/api/v1/tickets/{ticket.pk}/transitions/")
    assert [a["code"] for a in boss.json()] == ["approve", "reject", "reassign"]
    assert boss.json()[0]["note_required"] is True
    refused = api_for(account_manager).post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        {"action": "approve", "version": ticket.version, "note": "自己批"},
        format="json",
    )
    assert refused.status_code == 403
    missing = api_for(supervisor).post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        {"action": "approve", "version": ticket.version},
        format="json",
    )
    assert missing.status_code == 400 and "note" in missing.json()["fields"]


def test_stale_versions_are_a_conflict(api_for, tickets, account_manager, supervisor):
    ticket = tickets["mine"]
    seen = ticket.version
    api = api_for(account_manager)
    assert (
        api.patch(f"/api/v1/tickets/{ticket.pk}/", {"subject": "新标题", "version": seen}).status_code == 200
    )
    stale = api_for(supervisor).patch(f"/api/v1/tickets/{ticket.pk}/", {"subject": "另一个", "version": seen})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    moved = api.post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        {"action": "give_first_feedback", "version": seen, "data": {"message": "已回电"}},
        format="json",
    )
    assert moved.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).subject == "新标题"


def test_patch_needs_a_version_and_scope(api_for, tickets, team2_manager, account_manager):
    ticket = tickets["mine"]
    assert (
        api_for(account_manager).patch(f"/api/v1/tickets/{ticket.pk}/", {"subject": "x"}).status_code == 400
    )
    response = api_for(team2_manager).patch(f"/api/v1/tickets/{ticket.pk}/", {"subject": "x", "version": 1})
    assert response.status_code == 404


def test_open_a_ticket_from_a_visit(api_for, account_manager, other_manager):
    client = make_client(account_manager, "钱七")
    visit = record_visit(account_manager, client)
    api = api_for(account_manager)
    response = api.post(
        "/api/v1/tickets/",
        {
            "client": client.pk,
            "visit": visit.pk,
            "ticket_type": "quality",
            "channel": "visit",
            "priority": "high",
            "subject": "卷烟受潮",
            "description": "客户反映两条卷烟受潮。",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["number"].startswith("TS-")
        and body["visit"] == visit.pk
        and body["owner"]["id"] == account_manager.pk
    )
    assert body["countdown"]["deadline"] == "first_feedback" and body["countdown"]["sla_status"] == "on_time"
    assert [a["code"] for a in body["actions"]] == ["give_first_feedback"]
    foreign = make_client(other_manager, "孙九")
    response = api.post(
        "/api/v1/tickets/",
        {
            "client": foreign.pk,
            "ticket_type": "complaint",
            "channel": "phone",
            "subject": "x",
            "description": "y",
        },
        format="json",
    )
    assert response.status_code == 404


def test_filters_and_keyset_pages(api_for, account_manager, supervisor, tickets):
    walk(tickets["mine"], account_manager, "give_first_feedback", "resolve")
    open_ticket(account_manager, ticket_type="suggestion", priority="urgent")
    api = api_for(supervisor)
    assert len(ids(api.get("/api/v1/tickets/?state=open"))) == 2
    assert ids(api.get("/api/v1/tickets/?state=resolved")) == {tickets["mine"].pk}
    assert len(ids(api.get("/api/v1/tickets/?ticket_type=suggestion&priority=urgent"))) == 1
    assert ids(api.get(f"/api/v1/tickets/?owner={account_manager.pk}&sla=met")) == {tickets["mine"].pk}
    assert api.get("/api/v1/tickets/?sla=whenever").status_code == 400
    first = api.get("/api/v1/tickets/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_the_list_needs_few_queries(api_for, account_manager, admin, django_assert_max_num_queries):
    for _ in range(8):
        open_ticket(account_manager)
    with django_assert_max_num_queries(6):
        assert len(ids(api_for(admin).get("/api/v1/tickets/"))) == 8


def test_rating_through_the_api(api_for, account_manager, team2_manager):
    ticket = resolved_ticket(account_manager)
    assert (
        api_for(team2_manager).post(f"/api/v1/tickets/{ticket.pk}/rating/", {"score": 5}).status_code == 404
    )
    response = api_for(account_manager).post(
        f"/api/v1/tickets/{ticket.pk}/rating/", {"score": 5, "comment": "好"}
    )
    assert response.status_code == 200 and response.json()["satisfaction"] == 5
    again = api_for(account_manager).post(f"/api/v1/tickets/{ticket.pk}/rating/", {"score": 4})
    assert again.status_code == 400


def test_kpis_through_the_api(api_for, account_manager, supervisor, other_manager):
    resolved_ticket(account_manager)
    resolved_ticket(other_manager)
    response = api_for(supervisor).get("/api/v1/service-kpis/?group_by=team")
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["received"] == 1 and body["total"]["handling_rate"] == 100.0
    assert body["targets"] == {
        "first_feedback": 100,
        "handling": 100,
        "satisfaction": 90,
        "satisfied_from": 4,
    }
    assert api_for(supervisor).get("/api/v1/service-kpis/?group_by=planet").status_code == 400


def test_anonymous_callers_get_nothing(tickets):
    assert APIClient().get("/api/v1/tickets/").status_code in (401, 403)


def test_alerts_are_the_callers_own(api_for, account_manager, supervisor, time_machine):
    from amdesk.service.services import ticket_sla_sweep

    time_machine.move_to("2026-11-23 10:00 +08:00", tick=False)
    open_ticket(account_manager)
    open_ticket(account_manager)
    time_machine.move_to("2026-11-23 16:05 +08:00", tick=False)
    ticket_sla_sweep()
    assert api_for(account_manager).get("/api/v1/service-alerts/").json()["results"] == []
    boss = api_for(supervisor)
    rows = boss.get("/api/v1/service-alerts/?unread=true").json()["results"]
    assert [(r["alert_kind"], r["deadline"]) for r in rows] == [("breach", "first_feedback")] * 2
    assert api_for(account_manager).post("/api/v1/service-alerts/read/", {}, format="json").json() == {
        "marked": 0
    }
    marked = boss.post("/api/v1/service-alerts/read/", {"ids": [rows[0]["id"]]}, format="json")
    assert marked.json() == {"marked": 1}
    assert len(boss.get("/api/v1/service-alerts/?unread=1").json()["results"]) == 1
