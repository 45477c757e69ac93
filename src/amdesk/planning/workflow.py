"""The workflow of every periodic planning document, as data.

draft → submitted → reviewed, or submitted → returned → (edited) → submitted again.

The daily work log is the first document on it; the weekly arrangement, the monthly plan and the
targets reuse it: a document model subclasses models.document.PeriodicDocument (state, due date,
reviewer, comment, version), keeps its steps in a model subclassing DocumentEvent, and moves only
through services.documents.document_transition, the one place that reads TRANSITIONS.

Who ("actor" of a transition):
- OWNER: the account manager the document belongs to;
- REVIEWER: someone else whose scope covers the document and who oversees others (a supervisor,
  an outlet or branch head, an admin): orgs.access.may_hand_over.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

OWNER = "owner"
REVIEWER = "reviewer"


class DocState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned for changes")


# States in which the owner may still change the document.
EDITABLE_STATES = (DocState.DRAFT, DocState.RETURNED)
# States that count as "handed in" (submission rates, missing lists): a returned document was handed
# in on time even if the supervisor wants changes.
HANDED_IN_STATES = (DocState.SUBMITTED, DocState.REVIEWED, DocState.RETURNED)


@dataclass(frozen=True)
class Transition:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str  # OWNER or REVIEWER
    comment_required: bool = False
    style: str = "primary"  # a hint for the buttons


TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in [
        Transition(
            "submit",
            _("Submit"),
            sources=(DocState.DRAFT, DocState.RETURNED),
            target=DocState.SUBMITTED,
            actor=OWNER,
        ),
        Transition(
            "review",
            _("Mark as read"),
            sources=(DocState.SUBMITTED,),
            target=DocState.REVIEWED,
            actor=REVIEWER,
            style="success",
        ),
        Transition(
            "return",
            _("Return for changes"),
            sources=(DocState.SUBMITTED,),
            target=DocState.RETURNED,
            actor=REVIEWER,
            comment_required=True,
            style="warning",
        ),
    ]
}

# Events recorded on a document that are not transitions.
SYSTEM_EVENTS = {"create": _("Created"), "update": _("Changed"), "set": _("Set by the supervisor")}


def event_label(code: str) -> str:
    if code in TRANSITIONS:
        return str(TRANSITIONS[code].label)
    return str(SYSTEM_EVENTS.get(code, code))
