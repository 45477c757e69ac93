"""What "我的工作台" (my desk) shows a user, by what his roles let him see."""

from django.db.models import Count, Q
from django.utils import timezone

from amdesk.clients.models import Client, ClientSettings, ImportJob
from amdesk.orgs.access import client_q, scope_of, scoped, staff_q
from amdesk.orgs.models import Role, Staff
from amdesk.orgs.selectors import org_node_list
from amdesk.planning.selectors import planning_desk
from amdesk.service.selectors import desk_tickets
from amdesk.surveys.selectors import survey_desk
from amdesk.visits.selectors import desk_visits

from .audit_events import AuditEvent
from .calendar import calendar_warning_for
from .models import AuditEntry

RECENT_SIGN_INS = 5
DESK_NODES = 12


def desk_for(user) -> dict:
    scope = scope_of(user)
    context = {
        "scope": scope,
        "profile": Staff.objects.select_related("org_node", "grade", "supervisor").get(pk=user.pk),
        "roles": list(user.roles.all()),
        "recent_sign_ins": list(
            AuditEntry.objects.filter(
                Q(actor=user) | Q(username=user.get_username()),
                event__in=[AuditEvent.LOGIN, AuditEvent.LOGIN_FAILED, AuditEvent.LOCKOUT],
            )[:RECENT_SIGN_INS]
        ),
    }
    if not scope.sees_all:
        # One aggregate over the viewer's own or team's clients; the archive-wide figures for
        # admins live on the completeness page, not on every visit to the desk.
        threshold = ClientSettings.current().complete_at_percent
        context["clients"] = scoped(
            Client.objects.exclude(lifecycle=Client.Lifecycle.LOST), client_q(user)
        ).aggregate(
            total=Count("pk"),
            key=Count("pk", filter=Q(tier=Client.Tier.KEY)),
            incomplete=Count("pk", filter=Q(completeness__lt=threshold)),
            stakeholder_gaps=Count("pk", filter=Q(stakeholder_gap=True)),
        )
    # The viewer's own imports that stopped on rejected rows: nothing of them is in the archive yet.
    context["imports_waiting"] = list(
        ImportJob.objects.filter(created_by=user, state=ImportJob.State.REJECTED).only(
            "pk", "file_name", "rejected", "created_at"
        )[:5]
    )
    context["visits"] = desk_visits(user, today=timezone.localdate())
    context["service_desk"] = desk_tickets(user)
    context["surveys"] = survey_desk(viewer=user)
    context["planning"] = planning_desk(user, today=timezone.localdate())
    context["calendar_years_missing"] = calendar_warning_for(user, today=timezone.localdate())
    if scope.kind != Role.Scope.OWN:
        colleagues = scoped(Staff.objects.exclude(pk=user.pk), staff_q(user))
        context["team"] = {
            "counts": colleagues.aggregate(
                active=Count("pk", filter=Q(status=Staff.Status.ACTIVE), distinct=True),
                managers=Count(
                    "pk", filter=Q(status=Staff.Status.ACTIVE, roles__code="account_manager"), distinct=True
                ),
            ),
            "nodes": list(org_node_list(viewer=user)[:DESK_NODES]),
        }
    return context
