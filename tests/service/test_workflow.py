"""The ticket workflow: which actions each role may take in each state, and what each refuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.service.models import Ticket, TicketEvent
from amdesk.service.services import StaleTicket, available_actions, ticket_transition
from tests.service.factories import make_service_desk, move, open_ticket, sign, walk

S = Ticket.State


@pytest.fixture
def service_desk(org, branch_head):
    return make_service_desk(org)


def in_state(state: str, owner, supervisor) -> Ticket:
    """A complaint of `owner`'s brought to `state`."""
    ticket = open_ticket(owner)
    paths = {
        S.RECEIVED: [],
        S.FIRST_FEEDBACK: ["give_first_feedback"],
        S.INVESTIGATING: ["give_first_feedback", "investigate"],
        S.WAITING_CLIENT: ["give_first_feedback", "investigate", "wait_for_client"],
        S.AWAITING_APPROVAL: ["give_first_feedback", "investigate", "request_approval"],
        S.RESOLVED: ["give_first_feedback", "resolve"],
        S.CONFIRMED: ["give_first_feedback", "resolve", "confirm"],
    }
    if state == S.CLOSED:
        ticket = walk(ticket, owner, "give_first_feedback", "resolve", "confirm")
        return walk(ticket, supervisor, "close")
    return walk(ticket, owner, *paths[state])


OWNER = {
    S.RECEIVED: {"give_first_feedback"},
    S.FIRST_FEEDBACK: {"investigate", "wait_for_client", "resolve"},
    S.INVESTIGATING: {"wait_for_client", "request_approval", "resolve"},
    S.WAITING_CLIENT: {"resume"},
    S.AWAITING_APPROVAL: set(),
    S.RESOLVED: {"confirm", "reopen"},
    S.CONFIRMED: {"reopen"},
    S.CLOSED: {"reopen"},
}
OVERSEER = {
    S.RECEIVED: {"give_first_feedback", "reassign"},
    S.FIRST_FEEDBACK: {"investigate", "wait_for_client", "resolve", "reassign"},
    S.INVESTIGATING: {"wait_for_client", "resolve", "reassign"},
    S.WAITING_CLIENT: {"resume", "reassign"},
    S.AWAITING_APPROVAL: {"approve", "reject", "reassign"},
    S.RESOLVED: {"confirm", "close", "reopen"},
    S.CONFIRMED: {"close", "reopen"},
    S.CLOSED: {"reopen"},
}
DESK = {
    S.RECEIVED: {"give_first_feedback", "reassign"},
    S.FIRST_FEEDBACK: {"investigate", "wait_for_client", "resolve", "reassign"},
    S.INVESTIGATING: {"wait_for_client", "request_approval", "resolve", "reassign"},
    S.WAITING_CLIENT: {"resume", "reassign"},
    S.AWAITING_APPROVAL: {"reassign"},
    S.RESOLVED: {"confirm", "close", "reopen"},
    S.CONFIRMED: {"close", "reopen"},
    S.CLOSED: {"reopen"},
}


@pytest.mark.parametrize("state", list(S))
def test_who_may_do_what_in_each_state(
    state, account_manager, supervisor, branch_head, admin, service_desk, team2_manager, other_supervisor
):
    ticket = in_state(state, account_manager, supervisor)
    assert ticket.state == state

    def codes(user):
        return {action.code for action in available_actions(user, ticket)}

    assert codes(account_manager) == OWNER[state]
    assert codes(supervisor) == OVERSEER[state]
    assert codes(branch_head) == OVERSEER[state]
    assert codes(admin) == OVERSEER[state]
    assert codes(service_desk) == DESK[state]
    # Those who cannot see the ticket may do nothing with it.
    assert codes(team2_manager) == set()
    assert codes(other_supervisor) == set()


def test_the_owner_may_not_approve_his_own_proposal(account_manager, supervisor):
    ticket = in_state(S.AWAITING_APPROVAL, account_manager, supervisor)
    with pytest.raises(PermissionDenied):
        move(ticket, account_manager, "approve", "自己批准")


def test_a_supervisor_outside_the_scope_may_not_act(account_manager, supervisor, other_supervisor):
    ticket = in_state(S.AWAITING_APPROVAL, account_manager, supervisor)
    with pytest.raises(PermissionDenied):
        move(ticket, other_supervisor, "approve", "同意")


def test_an_action_from_the_wrong_state_is_refused(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    with pytest.raises(ValidationError) as error:
        walk(ticket, account_manager, "resolve")
    assert "action" in error.value.message_dict
    with pytest.raises(ValidationError):
        move(ticket, account_manager, "fly_to_the_moon")


def test_required_data_is_checked(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    with pytest.raises(ValidationError) as error:
        move(ticket, account_manager, "give_first_feedback", message="  ")
    assert "message" in error.value.message_dict
    ticket = walk(ticket, account_manager, "give_first_feedback", "investigate")
    with pytest.raises(ValidationError) as error:
        move(ticket, account_manager, "resolve", resolution="已处理")
    assert "is_valid" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        move(ticket, account_manager, "wait_for_client")
    assert "note" in error.value.message_dict
    ticket = walk(ticket, account_manager, "request_approval")
    with pytest.raises(ValidationError) as error:
        move(ticket, supervisor, "approve")
    assert "note" in error.value.message_dict


def test_each_step_is_recorded_with_who_when_and_what(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    ticket = walk(ticket, account_manager, "give_first_feedback", "investigate", "request_approval")
    ticket = move(ticket, supervisor, "approve", "同意调换两条")
    events = list(TicketEvent.objects.filter(ticket=ticket).order_by("at", "id"))
    assert [e.action for e in events] == [
        "open",
        "give_first_feedback",
        "investigate",
        "request_approval",
        "approve",
    ]
    approve = events[-1]
    assert (approve.actor, approve.from_state, approve.to_state) == (
        supervisor,
        "awaiting_approval",
        "investigating",
    )
    assert approve.note == "同意调换两条"
    assert events[1].data["message"].startswith("已致电")
    assert ticket.approval == "approved" and ticket.approved_by == supervisor
    audits = AuditEntry.objects.filter(event=AuditEvent.TICKET_TRANSITIONED, target_id=str(ticket.pk))
    assert audits.count() == 4
    assert audits.filter(detail__action="approve", actor=supervisor).exists()


def test_waiting_on_the_client_returns_where_it_was(account_manager, supervisor):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "wait_for_client")
    assert ticket.state == S.WAITING_CLIENT and ticket.paused_from == S.FIRST_FEEDBACK
    ticket = walk(ticket, account_manager, "resume")
    assert ticket.state == S.FIRST_FEEDBACK and ticket.paused_at is None
    ticket = walk(ticket, account_manager, "investigate", "wait_for_client", "resume")
    assert ticket.state == S.INVESTIGATING


def test_a_stale_version_is_refused(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    seen = ticket.version
    walk(ticket, supervisor, "give_first_feedback")
    with pytest.raises(StaleTicket):
        ticket_transition(
            actor=account_manager,
            ticket=ticket,
            action="give_first_feedback",
            version=seen,
            data={"message": "已回电"},
        )


def test_quality_feedback_follows_the_form(account_manager, supervisor):
    """Seed 000 4.6: inspect on site, the client signs the form, the supervisor approves, the
    replacement is handed over against the client's signature, then the result goes back."""
    ticket = open_ticket(account_manager, ticket_type="quality", subject="卷烟受潮")
    ticket = walk(ticket, account_manager, "give_first_feedback", "investigate")
    with pytest.raises(ValidationError) as error:
        walk(ticket, account_manager, "request_approval")
    assert "form_signature" in error.value.message_dict
    ticket = sign(ticket, account_manager, "form")
    ticket = walk(ticket, account_manager, "request_approval")
    assert ticket.inspection_notes and ticket.cause
    ticket = move(ticket, supervisor, "approve", "同意调换")
    with pytest.raises(ValidationError) as error:
        walk(ticket, account_manager, "resolve")
    assert "receipt_signature" in error.value.message_dict
    ticket = sign(ticket, account_manager, "receipt")
    assert ticket.replacement_handed_at is not None
    ticket = walk(ticket, account_manager, "resolve", "confirm")
    ticket = move(ticket, supervisor, "close", satisfaction=5)
    assert ticket.state == S.CLOSED and ticket.satisfaction == 5 and ticket.rated_by == supervisor


def test_a_quality_feedback_is_never_resolved_past_the_form(account_manager, supervisor):
    """Every quality feedback goes through the paper form: inspection and cause, the client's
    signature, the supervisor's approval, even when nothing is to be compensated or replaced."""
    ticket = walk(open_ticket(account_manager, ticket_type="quality"), account_manager, "give_first_feedback")
    with pytest.raises(ValidationError) as error:
        walk(ticket, account_manager, "resolve")
    assert "form_signature" in error.value.message_dict
    ticket = sign(walk(ticket, account_manager, "investigate"), account_manager, "form")
    with pytest.raises(ValidationError) as error:
        walk(ticket, account_manager, "resolve")
    assert "approval" in error.value.message_dict
    # No remedy: the supervisor approves the handling alone
    ticket = move(
        ticket, account_manager, "request_approval", remedy="", remedy_detail="经检测属正常色差,向客户解释"
    )
    ticket = move(ticket, supervisor, "approve", "同意")
    ticket = walk(ticket, account_manager, "resolve")
    assert ticket.state == S.RESOLVED and ticket.remedy == ""


def test_only_a_quality_feedback_goes_to_approval_without_a_remedy(account_manager):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "investigate")
    with pytest.raises(ValidationError) as error:
        move(ticket, account_manager, "request_approval", remedy="", remedy_detail="仅作解释")
    assert "remedy" in error.value.message_dict


def test_a_rejected_proposal_goes_back_to_the_investigation(account_manager, supervisor):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "investigate")
    ticket = walk(ticket, account_manager, "request_approval")
    ticket = move(ticket, supervisor, "reject", "证据不足,请补充照片")
    assert ticket.state == S.INVESTIGATING and ticket.approval == "rejected"
    ticket = walk(ticket, account_manager, "resolve")  # no receipt needed without an approved replacement
    assert ticket.state == S.RESOLVED


def test_closing_without_confirmation_needs_a_reason(account_manager, supervisor):
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    with pytest.raises(ValidationError) as error:
        move(ticket, supervisor, "close")
    assert "note" in error.value.message_dict
    ticket = move(ticket, supervisor, "close", "客户电话未接通三次")
    assert ticket.state == S.CLOSED and ticket.closed_at is not None


def test_reopen_within_the_window_only(account_manager, supervisor, time_machine):
    time_machine.move_to("2026-11-02 10:00 +08:00", tick=False)
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    time_machine.move_to("2026-11-16 10:00 +08:00", tick=False)  # 14 days later: inside the 15-day window
    ticket = walk(ticket, account_manager, "reopen")
    assert ticket.state == S.INVESTIGATING and ticket.resolved_at is None
    assert ticket.resolution_clock_from.isoformat().startswith("2026-11-16T02:00")
    ticket = walk(ticket, account_manager, "resolve")
    time_machine.move_to("2026-12-02 10:00 +08:00", tick=False)  # 16 days after the new resolution
    assert "reopen" not in {a.code for a in available_actions(account_manager, ticket)}
    with pytest.raises(ValidationError):
        walk(ticket, account_manager, "reopen")


def test_reassign_to_an_account_manager_in_scope(account_manager, team2_manager, other_manager, supervisor):
    ticket = open_ticket(account_manager)
    with pytest.raises(ValidationError) as error:
        move(ticket, supervisor, "reassign", "调岗", owner=other_manager.pk)  # not under this supervisor
    assert "owner" in error.value.message_dict
    ticket = move(ticket, supervisor, "reassign", "原客户经理休假", owner=team2_manager.pk)
    assert ticket.owner == team2_manager and ticket.state == S.RECEIVED
    assert {a.code for a in available_actions(team2_manager, ticket)} == {"give_first_feedback"}
    assert available_actions(account_manager, ticket) == []


# --- review fixes: ratings at closing, four eyes on approvals, reopening, reassigning ------------


def test_closing_with_a_score_never_overwrites_a_rating(account_manager, supervisor):
    from amdesk.service.services import ticket_rate

    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve", "confirm")
    ticket_rate(actor=account_manager, ticket=ticket, score=2, comment="等太久")
    with pytest.raises(ValidationError) as error:
        move(ticket, supervisor, "close", satisfaction=5)
    assert "satisfaction" in error.value.message_dict
    ticket.refresh_from_db()
    assert (ticket.state, ticket.satisfaction, ticket.rated_by) == (S.CONFIRMED, 2, account_manager)
    # Closing without a score keeps the client's rating.
    ticket = move(ticket, supervisor, "close")
    assert (ticket.state, ticket.satisfaction, ticket.rating_comment) == (S.CLOSED, 2, "等太久")


def test_the_one_who_proposed_may_not_approve(org, account_manager, supervisor):
    from tests.orgs.factories import StaffFactory

    # A desk agent who also supervises: he may propose (desk) and decide (overseer), not both.
    both = StaffFactory(username="desk_sup", org_node=org.br, roles=["service_desk", "supervisor"])
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "investigate")
    ticket = walk(ticket, both, "request_approval")
    assert "approve" not in {a.code for a in available_actions(both, ticket)}
    with pytest.raises(PermissionDenied):
        move(ticket, both, "approve", "同意")
    assert Ticket.objects.get(pk=ticket.pk).approval == ""
    ticket = move(ticket, supervisor, "approve", "同意")
    assert ticket.approval == "approved" and ticket.approved_by == supervisor


def test_reopening_moves_the_rating_into_the_history(account_manager, supervisor):
    from amdesk.service.services import RatingLinkInvalid, rating_link_check, ticket_rate
    from amdesk.service.services import ticket_rating_link_issue as issue

    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    token, _link = issue(actor=account_manager, ticket=ticket)
    ticket = ticket_rate(actor=account_manager, ticket=ticket, score=2, comment="不满意")
    ticket = walk(ticket, account_manager, "reopen")
    assert (ticket.satisfaction, ticket.rating_comment, ticket.rated_via, ticket.rated_by) == (
        None,
        "",
        "",
        None,
    )
    event = TicketEvent.objects.get(ticket=ticket, action="reopen")
    assert event.data["previous_rating"]["satisfaction"] == 2
    assert event.data["previous_rating"]["comment"] == "不满意"
    assert event.data["previous"]["resolution"] == "已向客户解释并致歉。"
    with pytest.raises(RatingLinkInvalid):
        rating_link_check(token)
    # Resolved again, the new handling is rated afresh.
    ticket = walk(ticket, account_manager, "resolve")
    assert ticket_rate(actor=account_manager, ticket=ticket, score=5).satisfaction == 5


def test_a_link_sent_before_reopening_no_longer_works(account_manager):
    from amdesk.service.services import RatingLinkInvalid, rating_link_check, ticket_rate_by_token
    from amdesk.service.services import ticket_rating_link_issue as issue

    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    token, _link = issue(actor=account_manager, ticket=ticket)
    walk(ticket, account_manager, "reopen")
    with pytest.raises(RatingLinkInvalid) as error:
        ticket_rate_by_token(token=token, score=5)
    assert error.value.reason == "expired"
    assert Ticket.objects.get(pk=ticket.pk).satisfaction is None
    # Even a link whose expiry was not moved is refused while the ticket is back in handling.
    from amdesk.service.models import RatingLink

    RatingLink.objects.filter(ticket=ticket).update(expires_at="2099-01-01T00:00:00Z")
    with pytest.raises(RatingLinkInvalid):
        rating_link_check(token)


@pytest.mark.parametrize("bad", ["abc", "", None, "1.5", -1, 10**30, True, [1]])
def test_reassign_refuses_a_bad_id_without_a_server_error(bad, account_manager, supervisor):
    ticket = open_ticket(account_manager)
    with pytest.raises(ValidationError) as error:
        move(ticket, supervisor, "reassign", "调岗", owner=bad)
    assert "owner" in error.value.message_dict


def test_reassign_only_to_an_active_account_manager(org, account_manager, team2_manager, supervisor):
    from amdesk.orgs.services import staff_leave
    from tests.orgs.factories import StaffFactory

    ticket = open_ticket(account_manager)
    assistant = StaffFactory(username="pm", org_node=org.tm1, roles=["product_manager"])
    for person in (supervisor, assistant):  # in scope, but no account manager
        with pytest.raises(ValidationError):
            move(ticket, supervisor, "reassign", "调岗", owner=person.pk)
    staff_leave(actor=supervisor, staff=team2_manager)
    with pytest.raises(ValidationError):
        move(ticket, supervisor, "reassign", "调岗", owner=str(team2_manager.pk))
    colleague = StaffFactory(username="am3", org_node=org.tm1)
    ticket = move(ticket, supervisor, "reassign", "调岗", owner=str(colleague.pk))  # a form's string
    assert ticket.owner == colleague


def test_the_approved_remedy_can_no_longer_change(account_manager, supervisor):
    from amdesk.service.services import ticket_update

    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback", "investigate")
    ticket = walk(ticket, account_manager, "request_approval")
    for when in ("awaiting", "approved"):
        if when == "approved":
            ticket = move(ticket, supervisor, "approve", "同意调换两条")
        for change in ({"remedy_detail": "调换十条"}, {"remedy": "compensation"}):
            with pytest.raises(ValidationError) as error:
                ticket_update(actor=account_manager, ticket=ticket, data=change, version=ticket.version)
            assert set(change) <= set(error.value.message_dict)
    ticket.refresh_from_db()
    assert (ticket.remedy, ticket.remedy_detail) == ("replacement", "调换同批次商品两条")
    # Other facts still change; a new proposal goes back to the supervisor.
    ticket = ticket_update(
        actor=account_manager, ticket=ticket, data={"subject": "新标题"}, version=ticket.version
    )
    ticket = move(
        ticket, account_manager, "request_approval", remedy="compensation", remedy_detail="赔偿200元"
    )
    assert (ticket.state, ticket.approval, ticket.remedy) == (S.AWAITING_APPROVAL, "", "compensation")


def test_what_the_client_signed_can_no_longer_change(account_manager, supervisor):
    from amdesk.service.services import ticket_update

    ticket = open_ticket(account_manager, ticket_type="quality")
    ticket = walk(ticket, account_manager, "give_first_feedback", "investigate")
    ticket = sign(ticket, account_manager, "form")
    for change in ({"inspection_notes": "无破损"}, {"cause": "客户保管不当"}):
        with pytest.raises(ValidationError) as error:
            ticket_update(actor=account_manager, ticket=ticket, data=change, version=ticket.version)
        assert set(change) <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        move(
            ticket,
            account_manager,
            "request_approval",
            remedy="replacement",
            remedy_detail="调换",
            cause="别的",
        )
    assert "cause" in error.value.message_dict
    # The same text sent again (a form with every field) is no change.
    ticket = walk(ticket, account_manager, "request_approval")
    assert ticket.state == S.AWAITING_APPROVAL and ticket.cause == "运输途中挤压"
