"""The ticket workflow as data: every action, the states it leaves from, where it goes, who may
take it and what it needs. `services.transitions.ticket_transition` is the one place that reads it.

received → first_feedback → investigating → (awaiting_approval → investigating) → resolved
→ confirmed → closed; "waiting_client" pauses the SLA clock and goes back where it came from;
reopen (within ServiceSettings.reopen_window_days of the resolution) → investigating; the rating
of the reopened handling moves into the reopen event's data and its rating links stop working.

Who ("actors" of an action):
- OWNER: the ticket's responsible account manager;
- DESK: a user with the service desk role (客户服务中心), within his scope;
- OVERSEER: a supervisor, outlet/branch head or system admin whose scope covers the ticket, and
  who is not its owner (approval needs a second person).
Everyone must see the ticket (the selectors' scope) before any of this is asked.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models.choices import TicketState as S

OWNER = "owner"
DESK = "desk"
OVERSEER = "overseer"

# Role codes (presets/common.toml) that oversee tickets and that staff the service desk.
OVERSEER_ROLES = ("supervisor", "head", "system_admin")
DESK_ROLES = ("service_desk",)

# Where the pause returns to: the state the ticket was in is kept in Ticket.paused_from.
BACK = "__back__"


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str  # a state, or BACK (the state before the pause)
    actors: frozenset[str]
    note_required: bool = False
    # Keys of `data` that must be given (validated further by the transition service).
    requires: tuple[str, ...] = ()
    style: str = "primary"  # a hint for the buttons: primary / secondary / success / danger
    extra: dict = field(default_factory=dict)


ALL_HANDLERS = frozenset({OWNER, DESK, OVERSEER})

ACTIONS: dict[str, Action] = {
    action.code: action
    for action in [
        Action(
            "give_first_feedback",
            _("Give first feedback"),
            sources=(S.RECEIVED,),
            target=S.FIRST_FEEDBACK,
            actors=ALL_HANDLERS,
            requires=("message",),  # what the client was told
        ),
        Action(
            "investigate",
            _("Start investigating"),
            sources=(S.FIRST_FEEDBACK,),
            target=S.INVESTIGATING,
            actors=ALL_HANDLERS,
            style="secondary",
        ),
        Action(
            "wait_for_client",
            _("Wait on the client"),
            sources=(S.FIRST_FEEDBACK, S.INVESTIGATING),
            target=S.WAITING_CLIENT,
            actors=ALL_HANDLERS,
            note_required=True,  # what we are waiting for
            style="secondary",
        ),
        Action(
            "resume",
            _("Client answered: resume"),
            sources=(S.WAITING_CLIENT,),
            target=BACK,
            actors=ALL_HANDLERS,
            style="secondary",
        ),
        Action(
            "request_approval",
            _("Propose compensation or replacement"),
            sources=(S.INVESTIGATING,),
            target=S.AWAITING_APPROVAL,
            actors=frozenset({OWNER, DESK}),
            # remedy: "compensation" | "replacement"; remedy_detail: what exactly. Quality feedback
            # also needs the inspection notes, the cause and the client's signature on the form.
            requires=("remedy", "remedy_detail"),
        ),
        Action(
            "approve",
            _("Approve"),
            sources=(S.AWAITING_APPROVAL,),
            target=S.INVESTIGATING,
            actors=frozenset({OVERSEER}),  # never the one who made the proposal (checked in the service)
            note_required=True,
            style="success",
        ),
        Action(
            "reject",
            _("Reject"),
            sources=(S.AWAITING_APPROVAL,),
            target=S.INVESTIGATING,
            actors=frozenset({OVERSEER}),
            note_required=True,
            style="danger",
        ),
        Action(
            "resolve",
            _("Resolve"),
            sources=(S.FIRST_FEEDBACK, S.INVESTIGATING),
            target=S.RESOLVED,
            actors=ALL_HANDLERS,
            # resolution: what was done; is_valid: whether the complaint was justified (complaints
            # and quality feedback only: ignored and left empty for consultations and suggestions).
            # An approved replacement needs the client's signature on the receipt first.
            requires=("resolution", "is_valid"),
            style="success",
        ),
        Action(
            "confirm",
            _("Client confirmed the result"),
            sources=(S.RESOLVED,),
            target=S.CONFIRMED,
            actors=ALL_HANDLERS,
            style="success",
        ),
        Action(
            "close",
            _("Close"),
            sources=(S.RESOLVED, S.CONFIRMED),
            target=S.CLOSED,
            actors=frozenset({DESK, OVERSEER}),
            # Optional data: {"satisfaction": 1..5} records the client's rating at closing, when the
            # ticket has none yet (a rating is never overwritten; without a score it stays).
            # From "resolved" (the client never confirmed) a note is required: checked in the service.
        ),
        Action(
            "reopen",
            _("Reopen"),
            sources=(S.RESOLVED, S.CONFIRMED, S.CLOSED),
            target=S.INVESTIGATING,
            actors=ALL_HANDLERS,
            note_required=True,
            style="danger",
        ),
        Action(
            "reassign",
            _("Reassign"),
            sources=(S.RECEIVED, S.FIRST_FEEDBACK, S.INVESTIGATING, S.WAITING_CLIENT, S.AWAITING_APPROVAL),
            target="",  # stays where it is
            actors=frozenset({DESK, OVERSEER}),
            note_required=True,
            # The new responsible AM's id: an active account manager within the actor's scope
            # (services.ticket_owner_candidates).
            requires=("owner",),
            style="secondary",
        ),
    ]
}

# Actions recorded as events that are not taken through ticket_transition.
SYSTEM_EVENTS = {
    "open": _("Opened"),
    "update": _("Changed"),
    "sign_form": _("Client signed the form"),
    "sign_receipt": _("Client signed the receipt"),
    "rate": _("Rated"),
    "rating_link": _("Rating link sent"),
    "escalate": _("Escalated to the supervisor"),
}


def action_label(code: str) -> str:
    if code in ACTIONS:
        return str(ACTIONS[code].label)
    return str(SYSTEM_EVENTS.get(code, code))
