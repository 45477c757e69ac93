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
