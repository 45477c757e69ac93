"""Helpers that open service tickets and move them through the workflow (shared with the UI tests)."""

from datetime import datetime, time

from django.utils import timezone

from amdesk.service.models import Ticket
from amdesk.service.services import ticket_open, ticket_sign, ticket_transition, ticket_update
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.visits.factories import SIGNATURE

__all__ = ["SIGNATURE", "at", "move", "open_ticket", "resolved_ticket", "make_service_desk", "sign", "walk"]


INSPECTION = {"inspection_notes": "现场查看两条包装破损", "cause": "运输途中挤压"}


def make_service_desk(org):
    """A service desk agent (客户服务中心) at the branch: sees every ticket of the branch."""
    return StaffFactory(username="desk", full_name="陈客服", org_node=org.br, roles=["service_desk"])


def at(day, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def open_ticket(actor, client=None, *, ticket_type: str = "complaint", **data) -> Ticket:
    """A ticket opened by `actor` for `client` (a new client of the actor's when none is given)."""
    client = client or make_client(actor)
    data.setdefault("channel", Ticket.Channel.PHONE)
    data.setdefault("priority", Ticket.Priority.NORMAL)
    data.setdefault("subject", "网点排队时间过长")
    data.setdefault("description", "客户反映柜台等候超过一小时。")
    visit = data.pop("visit", None)
    when = data.pop("at", None)
    return ticket_open(
        actor=actor, client=client, data={"ticket_type": ticket_type, **data}, visit=visit, at=when
    )


def move(ticket: Ticket, actor, action: str, note: str = "", **data) -> Ticket:
    """Take one workflow action with the ticket's current version."""
    ticket.refresh_from_db()
    return ticket_transition(
        actor=actor, ticket=ticket, action=action, version=ticket.version, note=note, data=data
    )


def walk(ticket: Ticket, actor, *actions: str) -> Ticket:
    """Take several actions with the data each needs (defaults good enough for tests)."""
    defaults = {
        "give_first_feedback": {"message": "已致电客户说明情况,三个工作日内答复。"},
        "wait_for_client": {"note": "等待客户提供凭证"},
        "request_approval": {"remedy": "replacement", "remedy_detail": "调换同批次商品两条", **INSPECTION},
        "approve": {"note": "同意调换"},
        "reject": {"note": "证据不足"},
        "resolve": {"resolution": "已向客户解释并致歉。", "is_valid": True},
        "reopen": {"note": "客户不满意处理结果"},
        "close": {"note": "客户未确认,已电话回访"},
    }
    for action in actions:
        data = dict(defaults.get(action, {}))
        note = data.pop("note", "")
        ticket = move(ticket, actor, action, note, **data)
    return ticket


def sign(ticket: Ticket, actor, which: str = "form") -> Ticket:
    """The client signs; the form is signed over the inspection notes and the cause, so those are
    recorded first (with walk()'s defaults) when the ticket has none yet."""
    ticket.refresh_from_db()
    if which == "form" and not (ticket.inspection_notes and ticket.cause):
        missing = {name: value for name, value in INSPECTION.items() if not getattr(ticket, name)}
        ticket = ticket_update(actor=actor, ticket=ticket, data=missing, version=ticket.version)
    return ticket_sign(actor=actor, ticket=ticket, which=which, signature=SIGNATURE, signer_name="王店主")


def resolved_ticket(actor, client=None, **data) -> Ticket:
    """A ticket whose first feedback was given and that was resolved as a valid complaint, by `actor`."""
    return walk(open_ticket(actor, client, **data), actor, "give_first_feedback", "resolve")
