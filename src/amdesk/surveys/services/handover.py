"""What follows a client to his new account manager at a handover (clients.signals.clients_handed_over),
as the service capability's open tickets do: the survey invitations still awaiting an answer. Answered
and expired ones stay where they were: the index they count towards is the old owner's."""

from django.db import transaction

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import SurveyInvitation


@transaction.atomic
def invitations_follow_clients(*, actor, client_ids, to_staff, request=None) -> int:
    """Move the clients' pending invitations (of any round) to `to_staff` and his org node, so he
    records the answer and the client's response counts to him; returns how many moved. An answer
    link already issued keeps working. One UPDATE and one audit entry whatever the number."""
    moving = list(
        SurveyInvitation.objects.select_for_update(of=("self",))
        .filter(client_id__in=list(client_ids), state=SurveyInvitation.State.PENDING)
        .exclude(owner=to_staff)
        .values_list("pk", "owner_id")
    )
    if not moving:
        return 0
    SurveyInvitation.objects.filter(pk__in=[pk for pk, _owner in moving]).update(
        owner=to_staff, org_node=to_staff.org_node_id
    )
    audit_record(
        event=AuditEvent.SURVEY_ROUND_CHANGED,
        actor=actor,
        request=request,
        detail={
            "via": "client_handover",
            "owner": to_staff.pk,
            "invitations": {str(pk): owner_id for pk, owner_id in moving},
        },
    )
    return len(moving)
