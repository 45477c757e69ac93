"""SLA warnings and escalations: one notification per alert the service SLA sweep raised
(service.services.sweep writes a ServiceAlert once per deadline; this reads them, never the clock)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amdesk.service.models import AlertKind, DeadlineKind, ServiceAlert

from ..kinds import SLA_ESCALATION, SLA_WARNING
from ..services import Draft

KINDS = (SLA_WARNING, SLA_ESCALATION)


def drafts(*, now, settings) -> list[Draft]:
    since = now - timedelta(days=settings.lookback_days)
    alerts = (
        ServiceAlert.objects.filter(created_at__gte=since, created_at__lte=now, recipient__is_active=True)
        .select_related("ticket")
        .only(
            "id",
            "recipient_id",
            "alert_kind",
            "deadline",
            "due_at",
            "ticket__id",
            "ticket__number",
            "ticket__subject",
        )
    )
    found = []
    for alert in alerts:
        ticket = alert.ticket
        if alert.deadline == DeadlineKind.FIRST_FEEDBACK:
            deadline = pgettext("sla deadline", "first feedback")
        else:
            deadline = pgettext("sla deadline", "resolution")
        due = timezone.localtime(alert.due_at).strftime("%Y-%m-%d %H:%M")
        if alert.alert_kind == AlertKind.WARNING:
            kind = SLA_WARNING
            title = _("Ticket %(number)s: %(deadline)s due at %(due)s") % {
                "number": ticket.number,
                "deadline": deadline,
                "due": due,
            }
        else:
            kind = SLA_ESCALATION
            title = _("Ticket %(number)s missed its %(deadline)s deadline (%(due)s)") % {
                "number": ticket.number,
                "deadline": deadline,
                "due": due,
            }
        found.append(
            Draft(
                user_id=alert.recipient_id,
                kind=kind,
                key=f"alert:{alert.pk}",
                title=title,
                body=ticket.subject,
                url=ticket.get_absolute_url(),
            )
        )
    return found
