"""Key-client follow-up plans 重点跟进客户计划: planned for a client of the AM's scope, tracked to
done, overdue ones on the desk and in the list; scoped like everything else."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import FollowUpAction, FollowUpPlan
from amdesk.planning.selectors import follow_ups_for, overdue_actions, planning_desk
from amdesk.planning.services import StaleDocument, follow_up_action_done, follow_up_create, follow_up_update
from tests.clients.factories import make_client

pytestmark = pytest.mark.django_db

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
SEES = {
    "account_manager": {"mine"},
    "team2_manager": {"team2"},
    "supervisor": {"mine", "team2"},
    "other_supervisor": {"other"},
    "branch_head": {"mine", "team2", "other"},
    "admin": {"mine", "team2", "other"},
}


def _plan(owner, *, days_ago: int = 2, client=None):
    today = timezone.localdate()
    return follow_up_create(
        actor=owner,
        client_id=(client or make_client(owner, name="王建国")).pk,
        client_type="prospect",
        resources="需要理财经理陪同",
        actions=[
            {"kind": "phone", "planned_on": today - timedelta(days=days_ago)},
            {"kind": "financial_plan", "planned_on": today + timedelta(days=5)},
        ],
    )


@pytest.fixture
def plans(account_manager, team2_manager, other_manager):
    return {"mine": _plan(account_manager), "team2": _plan(team2_manager), "other": _plan(other_manager)}


def test_plan_for_a_client_of_the_am_with_actions(account_manager):
    plan = _plan(account_manager)
    assert plan.org_node_id == account_manager.org_node_id and plan.actions.count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.FOLLOW_UP_SAVED, actor=account_manager).exists()


def test_a_client_outside_scope_or_a_bad_action_is_refused(account_manager, other_manager):
    theirs = make_client(other_manager, name="李四")
    with pytest.raises(ValidationError) as exc:
        follow_up_create(actor=account_manager, client_id=theirs.pk, client_type="won")
    assert "client" in exc.value.message_dict
    mine = make_client(account_manager)
    with pytest.raises(ValidationError) as exc:
        follow_up_create(
            actor=account_manager,
            client_id=mine.pk,
            client_type="won",
            actions=[{"kind": "other", "planned_on": date(2026, 12, 1)}],
        )
    assert "note" in exc.value.message_dict
    assert not FollowUpPlan.objects.exists()


def test_tracked_to_done_and_overdue_counts(account_manager, supervisor):
    plan = _plan(account_manager)
    today = timezone.localdate()
    assert [a.kind for a in overdue_actions(account_manager, today=today)] == ["phone"]
    assert planning_desk(account_manager, today=today)["followups_overdue"] == 1
    assert planning_desk(supervisor, today=today)["followups_overdue"] == 1
    phone = plan.actions.get(kind="phone")
    with pytest.raises(PermissionDenied):
        follow_up_action_done(actor=supervisor, action=phone, done_on=today)
    with pytest.raises(ValidationError):
        follow_up_action_done(actor=account_manager, action=phone, done_on=today + timedelta(days=1))
    follow_up_action_done(actor=account_manager, action=phone, done_on=today, outcome="约好周五面谈")
    assert not overdue_actions(account_manager, today=today).exists()
    annotated = follow_ups_for(account_manager, today=today).get()
    assert (annotated.open_count, annotated.overdue_count) == (1, 0)
    with pytest.raises(ValidationError):
        follow_up_action_done(actor=account_manager, action=phone, done_on=today)


def test_owner_changes_the_plan_on_the_version_read(account_manager, supervisor):
    plan = _plan(account_manager)
    plan = follow_up_update(
        actor=account_manager,
        plan=plan,
        data={"client_type": "won"},
        add_actions=[{"kind": "visit", "planned_on": timezone.localdate()}],
        expected_version=1,
    )
    assert plan.client_type == "won" and plan.version == 2 and plan.actions.count() == 3
    with pytest.raises(StaleDocument):
        follow_up_update(actor=account_manager, plan=plan, data={"resources": "x"}, expected_version=1)
    with pytest.raises(PermissionDenied):
        follow_up_update(actor=supervisor, plan=plan, data={"resources": "x"})


@pytest.mark.parametrize("viewer", ROLES)
def test_list_by_role(request, plans, api_for, viewer):
    response = api_for(request.getfixturevalue(viewer)).get("/api/v1/planning/followups/?overdue=true")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {plans[key].pk for key in SEES[viewer]}


@pytest.mark.parametrize("viewer", ROLES)
@pytest.mark.parametrize("key", ["mine", "other"])
def test_get_and_change_by_role(request, plans, api_for, account_manager, viewer, key):
    user = request.getfixturevalue(viewer)
    api = api_for(user)
    plan = plans[key]
    response = api.get(f"/api/v1/planning/followups/{plan.pk}/")
    if key not in SEES[viewer]:
        assert response.status_code == 404
        assert api.patch(f"/api/v1/planning/followups/{plan.pk}/", {"resources": "x"}).status_code == 404
        return
    body = response.json()
    assert [a["overdue"] for a in body["actions"]] == [True, False]
    changed = api.patch(
        f"/api/v1/planning/followups/{plan.pk}/", {"resources": "支行行长出面"}, format="json"
    )
    action = body["actions"][0]["id"]
    done = api.post(f"/api/v1/planning/followups/actions/{action}/done/", {"outcome": "已约"})
    if user.pk == plan.owner_id:
        assert changed.status_code == 200 and changed.json()["resources"] == "支行行长出面"
        assert done.status_code == 200 and done.json()["actions"][0]["done_on"] is not None
    else:
        assert changed.status_code == 403 and done.status_code == 403
        assert FollowUpAction.objects.get(pk=action).done_on is None


def test_create_through_the_api(api_for, account_manager, other_manager):
    client = make_client(account_manager)
    response = api_for(account_manager).post(
        "/api/v1/planning/followups/",
        {
            "client": client.pk,
            "client_type": "influence",
            "actions": [{"kind": "presentation", "planned_on": "2026-12-20"}],
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["client"]["id"] == client.pk
    theirs = make_client(other_manager, name="李四")
    response = api_for(account_manager).post(
        "/api/v1/planning/followups/", {"client": theirs.pk, "client_type": "won"}, format="json"
    )
    assert response.status_code == 400


def test_pages_new_plan_detail_done_and_overdue_list(client_for, account_manager, supervisor):
    client = make_client(account_manager, name="赵敏")
    web = client_for(account_manager)
    assert web.get("/planning/followups/new/").status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = web.post(
        "/planning/followups/new/",
        {"client": client.pk, "client_type": "prospect", "kind-0": "visit", "planned-0": yesterday},
    )
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get()
    page = web.get(plan.get_absolute_url())
    action = plan.actions.get()
    assert f'data-testid="overdue-{action.pk}"'.encode() in page.content
    overdue = client_for(supervisor).get("/planning/followups/?overdue=1")
    assert "赵敏" in overdue.content.decode()
    desk = client_for(supervisor).get("/planning/")
    assert b'data-testid="desk-followups-overdue"' in desk.content
    web.post(f"/planning/followups/actions/{action.pk}/done/", {"outcome": "客户同意配置基金"})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate() and action.outcome == "客户同意配置基金"
