"""Opening and changing tickets, repeat complaints, the client's signatures, and the rating
(by staff, and by the client through a one-time link)."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.service.models import RatingLink, ServiceSettings, Ticket
from amdesk.service.services import (
    RatingLinkInvalid,
    StaleTicket,
    rating_link_check,
    service_settings_update,
    ticket_rate,
    ticket_rate_by_token,
    ticket_rating_link_issue,
    ticket_sign,
    ticket_update,
)
from tests.clients.factories import make_client
from tests.service.factories import SIGNATURE, move, open_ticket, resolved_ticket, walk
from tests.visits.factories import record_visit

SH = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_opening_numbers_and_ownership(account_manager, supervisor, time_machine):
    time_machine.move_to(local("2026-11-23 10:00"), tick=False)
    client = make_client(account_manager, "王五")
    first = open_ticket(account_manager, client)
    second = open_ticket(supervisor, client, ticket_type="consultation")  # the supervisor takes the call
    assert (first.number, second.number) == ("TS-2026-000001", "TS-2026-000002")
    assert second.owner == account_manager and second.opened_by == supervisor
    assert second.org_node == client.org_node
    assert AuditEntry.objects.filter(event=AuditEvent.TICKET_OPENED).count() == 2
    time_machine.move_to(local("2027-01-02 10:00"), tick=False)
    assert open_ticket(account_manager, client).number == "TS-2027-000001"


def test_a_client_out_of_scope_cannot_get_a_ticket(account_manager, other_manager):
    with pytest.raises(PermissionDenied):
        open_ticket(account_manager, make_client(other_manager))


def test_a_ticket_from_a_visit(account_manager):
    client = make_client(account_manager, "李四")
    visit = record_visit(account_manager, client)
    ticket = open_ticket(account_manager, client, visit=visit, channel="")
    assert ticket.visit == visit and ticket.channel == "visit"
    other_visit = record_visit(account_manager, make_client(account_manager, "钱七"))
    with pytest.raises(ValidationError) as error:
        open_ticket(account_manager, client, visit=other_visit)
    assert "visit" in error.value.message_dict


def test_opening_checks_the_data(account_manager):
    with pytest.raises(ValidationError) as error:
        open_ticket(account_manager, subject="", ticket_type="nonsense")
    assert {"subject", "ticket_type"} <= set(error.value.message_dict)


def test_repeat_complaints_within_the_window(account_manager, time_machine):
    time_machine.move_to(local("2026-10-01 10:00"), tick=False)
    client = make_client(account_manager, "周八")
    first = open_ticket(account_manager, client)
    time_machine.move_to(local("2026-10-20 10:00"), tick=False)
    consultation = open_ticket(account_manager, client, ticket_type="consultation")
    second = open_ticket(account_manager, client, ticket_type="quality")
    other_client = open_ticket(account_manager)
    assert consultation.repeat_of is None and other_client.repeat_of is None
    assert second.repeat_of == first
    time_machine.move_to(local("2026-12-01 10:00"), tick=False)  # 42 days after the second: outside 30
    assert open_ticket(account_manager, client).repeat_of is None
    ServiceSettings.objects.update_or_create(pk=1, defaults={"repeat_window_days": 60})
    assert open_ticket(account_manager, client).repeat_of is not None


def test_update_with_the_version_read(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    seen = ticket.version
    ticket = ticket_update(
        actor=account_manager, ticket=ticket, data={"subject": "排队一小时", "cause": "窗口少"}, version=seen
    )
    assert ticket.subject == "排队一小时" and ticket.version == seen + 1
    with pytest.raises(StaleTicket):
        ticket_update(actor=supervisor, ticket=ticket, data={"subject": "另一个标题"}, version=seen)
    closed = walk(resolved_ticket(account_manager), supervisor, "close")
    with pytest.raises(ValidationError):
        ticket_update(actor=account_manager, ticket=closed, data={"subject": "x"}, version=closed.version)


def test_update_is_for_those_who_handle_it(account_manager, team2_manager):
    ticket = open_ticket(account_manager)
    with pytest.raises(PermissionDenied):
        ticket_update(actor=team2_manager, ticket=ticket, data={"subject": "x"}, version=ticket.version)


def test_signatures_are_checked_and_given_once(account_manager, supervisor):
    ticket = walk(open_ticket(account_manager, ticket_type="quality"), account_manager, "give_first_feedback")
    with pytest.raises(ValidationError) as error:
        ticket_sign(
            actor=account_manager, ticket=ticket, which="form", signature="data:image/jpeg;base64,AAAA"
        )
    assert "form_signature" in error.value.message_dict
    with pytest.raises(ValidationError):
        ticket_sign(actor=account_manager, ticket=ticket, which="form", signature="data:image/png;base64,!!")
    # The client signs what was found: not a blank form.
    with pytest.raises(ValidationError) as error:
        ticket_sign(actor=account_manager, ticket=ticket, which="form", signature=SIGNATURE)
    assert "form_signature" in error.value.message_dict
    ticket = ticket_update(
        actor=account_manager,
        ticket=ticket,
        data={"inspection_notes": "两条包装破损", "cause": "运输途中挤压"},
        version=ticket.version,
    )
    ticket = ticket_sign(
        actor=account_manager, ticket=ticket, which="form", signature=SIGNATURE, signer_name="王店主"
    )
    assert ticket.form_signed and ticket.form_signer_name == "王店主"
    with pytest.raises(ValidationError):
        ticket_sign(actor=account_manager, ticket=ticket, which="form", signature=SIGNATURE)
    with pytest.raises(ValidationError) as error:  # no approved replacement yet
        ticket_sign(actor=account_manager, ticket=ticket, which="receipt", signature=SIGNATURE)
    assert "receipt_signature" in error.value.message_dict
    assert AuditEntry.objects.filter(event=AuditEvent.TICKET_SIGNED).count() == 1


def test_staff_record_the_rating_once_after_resolution(account_manager, supervisor):
    ticket = open_ticket(account_manager)
    with pytest.raises(ValidationError):
        ticket_rate(actor=account_manager, ticket=ticket, score=5)
    ticket = resolved_ticket(account_manager)
    with pytest.raises(ValidationError):
        ticket_rate(actor=account_manager, ticket=ticket, score=6)
    ticket = ticket_rate(actor=account_manager, ticket=ticket, score=4, comment="处理及时")
    assert (ticket.satisfaction, ticket.rated_via, ticket.rated_by) == (4, "staff", account_manager)
    with pytest.raises(ValidationError):
        ticket_rate(actor=supervisor, ticket=ticket, score=2)
    assert AuditEntry.objects.filter(event=AuditEvent.TICKET_RATED, detail__score=4).exists()


def test_the_rating_link_works_once(account_manager):
    ticket = resolved_ticket(
        account_manager, make_client(account_manager, "王小明", id_number="", gender="male")
    )
    token, link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not RatingLink.objects.filter(token_hash=token).exists()  # the raw token is never stored
    with translation.override("zh-hans"):
        assert rating_link_check(token).salutation == "王先生"
    rated = ticket_rate_by_token(token=token, score=5, comment="很满意")
    assert (rated.satisfaction, rated.rated_via, rated.rated_by, rated.rating_comment) == (
        5,
        "link",
        None,
        "很满意",
    )
    with pytest.raises(RatingLinkInvalid) as error:
        ticket_rate_by_token(token=token, score=1)
    assert error.value.reason == "used"
    assert Ticket.objects.get(pk=ticket.pk).satisfaction == 5


def test_a_wrong_or_expired_link_is_refused(account_manager, time_machine):
    time_machine.move_to(local("2026-11-23 10:00"), tick=False)
    ticket = resolved_ticket(account_manager)
    with pytest.raises(RatingLinkInvalid) as error:
        rating_link_check("not-a-token")
    assert error.value.reason == "unknown"
    token, _link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    time_machine.move_to(local("2026-11-23 10:00") + timedelta(hours=72, seconds=1), tick=False)
    with pytest.raises(RatingLinkInvalid) as error:
        ticket_rate_by_token(token=token, score=5)
    assert error.value.reason == "expired"
    assert Ticket.objects.get(pk=ticket.pk).satisfaction is None


def test_a_link_is_only_for_a_resolved_unrated_ticket_in_scope(account_manager, team2_manager):
    with pytest.raises(ValidationError):
        ticket_rating_link_issue(actor=account_manager, ticket=open_ticket(account_manager))
    ticket = resolved_ticket(account_manager)
    with pytest.raises(PermissionDenied):
        ticket_rating_link_issue(actor=team2_manager, ticket=ticket)
    token, _link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    ticket_rate(actor=account_manager, ticket=ticket, score=3)
    with pytest.raises(RatingLinkInvalid) as error:  # rated meanwhile by the AM
        ticket_rate_by_token(token=token, score=5)
    assert error.value.reason == "used"


def test_settings_changes_are_audited(admin, account_manager):
    settings = service_settings_update(
        actor=admin, data={"satisfaction_target": 95, "reopen_window_days": 15}
    )
    assert settings.satisfaction_target == 95
    entry = AuditEntry.objects.get(event=AuditEvent.SERVICE_SETTINGS_CHANGED)
    assert entry.detail == {"settings": {"satisfaction_target": ["90", "95"]}}
    with pytest.raises(PermissionDenied):
        service_settings_update(actor=account_manager, data={"satisfaction_target": 10})
    with pytest.raises(ValidationError):
        service_settings_update(actor=admin, data={"satisfaction_target": 120})


# --- review fixes: rating links, backdating, handover, people who leave ----------------------------


def test_a_new_link_ends_the_earlier_unused_ones_and_is_audited(account_manager):
    ticket = resolved_ticket(account_manager)
    first, _link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    second, link = ticket_rating_link_issue(actor=account_manager, ticket=ticket)
    with pytest.raises(RatingLinkInvalid) as error:
        ticket_rate_by_token(token=first, score=1)
    assert error.value.reason == "expired"
    assert rating_link_check(second).pk == link.pk
    entries = AuditEntry.objects.filter(event=AuditEvent.TICKET_CHANGED, target_id=str(ticket.pk))
    assert [e.detail["rating_link"] for e in entries] == ["issued", "issued"]
    assert entries.filter(detail__revoked=1).count() == 1
    assert ticket_rate_by_token(token=second, score=4).satisfaction == 4


def test_the_link_as_a_qr_code():
    import re

    import segno

    from amdesk.service.services import rating_link_qr_svg

    url = "https://amdesk.example/service/rate/abc/"
    svg = rating_link_qr_svg(url)
    assert svg.startswith("<svg") and 'role="img"' in svg and "viewBox=" in svg and "<script" not in svg
    path = re.findall(r' d="([^"]+)"', svg)[-1]  # the dark modules (the first path is the background)
    assert path in segno.make(url, error="m").svg_inline(scale=4, border=2)


def test_backdating_is_limited_by_the_settings(account_manager, admin, time_machine):
    time_machine.move_to(local("2026-11-23 10:00"), tick=False)
    with pytest.raises(ValidationError) as error:
        open_ticket(account_manager, received_at=local("2026-11-15 10:00"))  # 8 days back
    assert "received_at" in error.value.message_dict
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            open_ticket(account_manager, received_at=local("2026-01-01 10:00"))
        assert "at most 7 days" in error.value.message_dict["received_at"][0]
    assert open_ticket(account_manager, received_at=local("2026-11-16 11:00")).received_at == local(
        "2026-11-16 11:00"
    )
    service_settings_update(actor=admin, data={"backdate_max_days": 30})
    assert open_ticket(account_manager, received_at=local("2026-11-01 10:00")).pk


def test_open_tickets_follow_their_clients_at_a_handover(org, account_manager, supervisor, team2_manager):
    from amdesk.clients.services import client_handover
    from amdesk.service.models import TicketEvent

    client = make_client(account_manager, "王五")
    open_one = open_ticket(account_manager, client)
    waiting = walk(
        open_ticket(account_manager, client), account_manager, "give_first_feedback", "wait_for_client"
    )
    done = walk(resolved_ticket(account_manager, client), supervisor, "close")
    others = open_ticket(account_manager)  # another client's: stays
    client_handover(actor=supervisor, client_ids=[client.pk], to_staff=team2_manager, reason="调岗")
    moved = Ticket.objects.filter(pk__in=[open_one.pk, waiting.pk])
    assert {(t.owner_id, t.org_node_id) for t in moved} == {(team2_manager.pk, org.tm2.pk)}
    assert Ticket.objects.get(pk=waiting.pk).state == "waiting_client"
    assert Ticket.objects.get(pk=done.pk).owner == account_manager  # history stays with who handled it
    assert Ticket.objects.get(pk=others.pk).owner == account_manager
    events = TicketEvent.objects.filter(action="reassign", data__via="client_handover")
    assert sorted(e.ticket_id for e in events) == sorted([open_one.pk, waiting.pk])
    assert {(e.actor_id, e.data["previous_owner"]) for e in events} == {(supervisor.pk, account_manager.pk)}
    entry = AuditEntry.objects.get(event=AuditEvent.TICKET_TRANSITIONED, detail__via="client_handover")
    assert entry.detail["tickets"] == {
        str(open_one.pk): account_manager.pk,
        str(waiting.pk): account_manager.pk,
    }
    # The new owner works on them at once.
    assert (
        walk(Ticket.objects.get(pk=open_one.pk), team2_manager, "give_first_feedback").state
        == "first_feedback"
    )


def test_the_handover_moves_tickets_in_a_fixed_number_of_queries(
    account_manager, supervisor, team2_manager, django_assert_max_num_queries
):
    from amdesk.service.services import tickets_follow_clients

    clients = [make_client(account_manager, name) for name in ("甲", "乙", "丙")]
    for client in clients:
        open_ticket(account_manager, client)
        open_ticket(account_manager, client)
    with django_assert_max_num_queries(6):
        moved = tickets_follow_clients(
            actor=supervisor, client_ids=[c.pk for c in clients], to_staff=team2_manager
        )
    assert moved == 6


def test_tickets_of_someone_who_left_wait_for_reassignment(org, account_manager, supervisor, team2_manager):
    from amdesk.orgs.services import staff_leave
    from amdesk.service.selectors import desk_tickets
    from amdesk.service.selectors.desk import tickets_owner_left
    from tests.service.factories import make_service_desk

    desk = make_service_desk(org)
    mine = open_ticket(team2_manager)
    walk(resolved_ticket(team2_manager), supervisor, "close")  # closed: nothing to do
    open_ticket(account_manager)
    assert desk_tickets(supervisor)["owner_left"] == 0
    staff_leave(actor=supervisor, staff=team2_manager)
    assert list(tickets_owner_left(supervisor)) == [mine]
    assert list(tickets_owner_left(desk)) == [mine]
    assert desk_tickets(supervisor)["owner_left"] == 1
    assert list(tickets_owner_left(account_manager)) == []
    move(mine, supervisor, "reassign", "原客户经理离职", owner=account_manager.pk)
    assert list(tickets_owner_left(supervisor)) == []
