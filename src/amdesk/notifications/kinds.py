"""The kinds of notification, as a code registry: a producer (producers/) registers the kind it
raises, with the label users read on the list and the preference page. Stored as text on each
notification, so adding a kind needs no migration."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    description: str | Promise = ""


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label, description="") -> Kind:
    kind = Kind(code, label, description)
    KINDS[code] = kind
    return kind


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


SLA_WARNING = register_kind(
    "sla_warning", _("SLA warnings"), _("A deadline of one of your tickets is coming up.")
).code
SLA_ESCALATION = register_kind(
    "sla_escalation", _("SLA escalations"), _("A ticket missed its deadline and was escalated to you.")
).code
DOCUMENT_DUE = register_kind(
    "document_due", _("Documents due"), _("A plan, log or report of yours is due today or tomorrow.")
).code
VISIT_OVERDUE = register_kind(
    "visit_overdue", _("Overdue visits"), _("A client of yours is overdue for a visit.")
).code
FOLLOWUP_DUE = register_kind(
    "followup_due", _("Follow-ups due"), _("A follow-up action of yours is planned for today or tomorrow.")
).code
DOCUMENT_RETURNED = register_kind(
    "document_returned", _("Returned documents"), _("Your supervisor returned a document for changes.")
).code
HANDOVER_RECEIVED = register_kind(
    "handover_received", _("Handovers received"), _("Clients were handed over to you.")
).code
