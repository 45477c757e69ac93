"""What "我的工作台" (my desk) shows a user: the cards of his roles, each with his own figures.

The desk sits at the top of the app stack: it reads clients, visits, service, surveys and
planning through their selectors; no other app imports it. The role desks' figures and charts
are in am.py (account manager), team.py (supervisor, and the head over his branch) and branch.py
(head: trends from the pre-aggregated rows of models.py).
"""

from datetime import date
from functools import cached_property

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from amdesk.appraisal.selectors import overview as appraisal_overview
from amdesk.clients.models import Client, ClientSettings, ImportJob
from amdesk.core.audit_events import AuditEvent
from amdesk.core.calendar import calendar_warning_for
from amdesk.core.models import AuditEntry
from amdesk.orgs.access import client_q, scope_of, scoped, staff_q
from amdesk.orgs.models import Role, Staff
from amdesk.orgs.selectors import org_node_list
from amdesk.planning.selectors import planning_desk
from amdesk.service.selectors import desk_tickets
from amdesk.surveys.selectors import survey_desk
from amdesk.visits.selectors import desk_visits

from ..cards import CHART_CARDS, cards_for
from ..charts import Chart
from ..models import DeskRefresh, NodeClients
from . import am, branch, team

RECENT_SIGN_INS = 5
DESK_NODES = 12


class Desk:
    """The figures of one person's desk, each computed the first time a card reads it, so a
    desk pays only for the cards its viewer's roles show."""

    def __init__(self, user, *, today: date):
        self.user = user
        self.today = today

    @cached_property
    def clients(self) -> dict:
        """The viewer's own or team's clients, as the client list counts them: `total` includes
        lost clients (the list shows them), `lost` says how many of them are; the other figures
        are about the clients still served. Live for an account manager's own clients; for those who
        oversee a team or a branch, the sum of the pre-aggregated counts of the nodes they lead
        (NodeClients, as of the last refresh), so the desk never counts a whole branch per visit."""
        if scope_of(self.user).kind != Role.Scope.OWN:
            figures = NodeClients.objects.filter(branch.node_scope_q(self.user)).aggregate(
                total=Sum("total"),
                lost=Sum("lost"),
                key=Sum("key"),
                incomplete=Sum("incomplete"),
                stakeholder_gaps=Sum("stakeholder_gaps"),
            )
            return {name: value or 0 for name, value in figures.items()} | {"pre_aggregated": True}
        threshold = ClientSettings.current().complete_at_percent
        served = ~Q(lifecycle=Client.Lifecycle.LOST)
        return scoped(Client.objects.all(), client_q(self.user)).aggregate(
            total=Count("pk"),
            lost=Count("pk", filter=~served),
            key=Count("pk", filter=served & Q(tier__is_key=True)),
            incomplete=Count("pk", filter=served & Q(completeness__lt=threshold)),
            stakeholder_gaps=Count("pk", filter=served & Q(stakeholder_gap=True)),
        )

    @cached_property
    def as_of(self):
        """When the pre-aggregated figures were last refreshed (None before the first refresh)."""
        return DeskRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()

    @cached_property
    def visits(self) -> dict:
        return desk_visits(self.user, today=self.today)

    @cached_property
    def service(self) -> dict:
        return desk_tickets(self.user)

    @cached_property
    def surveys(self) -> dict:
        return survey_desk(viewer=self.user)

    @cached_property
    def planning(self) -> dict:
        return planning_desk(self.user, today=self.today)

    @cached_property
    def my_score(self):
        """The viewer's latest computed or approved score card (None before his first)."""
        return appraisal_overview.my_latest(viewer=self.user)

    @cached_property
    def team_appraisal(self) -> list:
        """Computed periods whose team sheets the viewer has yet to hand in."""
        return appraisal_overview.team_sign_offs_due(viewer=self.user, today=self.today)

    @cached_property
    def appraisal_admin(self):
        """What waits for the appraisal admin: periods to open, run, approve; proposals; values."""
        return appraisal_overview.admin_overview(viewer=self.user, today=self.today)

    # -- the account manager's day

    @cached_property
    def route(self) -> list:
        return am.route(self.user, today=self.today)

    @cached_property
    def overdue_by_tier(self) -> Chart:
        return self._exportable(am.overdue_by_tier(self.user, today=self.today))

    @cached_property
    def open_tickets(self) -> list:
        return am.open_tickets(self.user)

    @cached_property
    def followups_due(self) -> list:
        return am.followups_due(self.user, today=self.today)

    @cached_property
    def birthdays(self) -> list:
        return am.birthdays(self.user, today=self.today)

    @cached_property
    def holidays(self) -> list:
        return am.holidays_this_week(today=self.today)

    @cached_property
    def my_targets(self) -> Chart:
        return self._exportable(am.target_progress(self.user, today=self.today))

    # -- the supervisor's team (the head's branch)

    @cached_property
    def team_people(self) -> list:
        return team.team_people(self.user)

    @cached_property
    def team_kpis(self) -> Chart:
        return self._exportable(team.team_kpis(self.user, self.team_people, today=self.today))

    @cached_property
    def sla_counts(self) -> dict:
        return team.sla_counts(self.user)

    @cached_property
    def sla_status(self) -> Chart:
        return self._exportable(team.sla_status(self.sla_counts))

    @cached_property
    def sla_breaches(self) -> dict:
        return team.sla_breaches(self.user, self.sla_counts)

    @cached_property
    def visit_heatmap(self) -> Chart:
        return self._exportable(team.visit_heatmap(self.team_people, today=self.today))

    @cached_property
    def submissions(self) -> Chart:
        return self._exportable(team.submissions(self.user, today=self.today))

    @cached_property
    def anomalies(self) -> dict:
        return team.anomaly_queue(self.user)

    # -- the head's branch

    @cached_property
    def branch(self) -> dict:
        figures = branch.branch_figures(self.user)
        self._exportable(figures["aum_chart"])
        self._exportable(figures["visit_chart"])
        return figures

    @cached_property
    def aum_trend(self) -> Chart:
        return self.branch["aum_chart"]

    @cached_property
    def visit_trend(self) -> Chart:
        return self.branch["visit_chart"]

    @cached_property
    def team_compare(self) -> Chart:
        return self._exportable(branch.team_comparison(self.user))

    @cached_property
    def tier_mix(self) -> Chart:
        return self._exportable(branch.tier_mix(self.user))

    @staticmethod
    def _exportable(chart: Chart) -> Chart:
        chart.export_url = reverse("desk:chart-export", args=[chart.key])
        return chart

    @cached_property
    def team(self) -> dict:
        colleagues = scoped(Staff.objects.exclude(pk=self.user.pk), staff_q(self.user))
        return {
            "counts": colleagues.aggregate(
                active=Count("pk", filter=Q(status=Staff.Status.ACTIVE), distinct=True),
                managers=Count(
                    "pk", filter=Q(status=Staff.Status.ACTIVE, roles__code="account_manager"), distinct=True
                ),
            ),
            "nodes": list(org_node_list(viewer=self.user)[:DESK_NODES]),
        }


def desk_for(user, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    roles = list(user.roles.all())
    scope = scope_of(user)
    cards = cards_for(roles)
    if scope.sees_all:
        # The archive-wide client figures live on the completeness page, not on every desk visit.
        cards = [card for card in cards if card.code not in {"my_clients", "team_clients"}]
    return {
        "scope": scope,
        "profile": Staff.objects.select_related("org_node", "grade", "supervisor").get(pk=user.pk),
        "roles": roles,
        "cards": cards,
        "desk": Desk(user, today=today),
        "recent_sign_ins": list(
            AuditEntry.objects.filter(
                Q(actor=user) | Q(username=user.get_username()),
                event__in=[AuditEvent.LOGIN, AuditEvent.LOGIN_FAILED, AuditEvent.LOCKOUT],
            )[:RECENT_SIGN_INS]
        ),
        # The viewer's own imports that stopped on rejected rows: nothing of them is in the archive yet.
        "imports_waiting": list(
            ImportJob.objects.filter(created_by=user, state=ImportJob.State.REJECTED).only(
                "pk", "file_name", "rejected", "created_at"
            )[:5]
        ),
        "calendar_years_missing": calendar_warning_for(user, today=today),
    }


def desk_chart(user, key: str, *, today: date | None = None) -> Chart:
    """One chart of the user's desk, for its export: only a chart of a card his roles show
    ("not found" otherwise, as for a chart that does not exist)."""
    card = CHART_CARDS.get(key)
    if card is None or card not in {card.code for card in cards_for(list(user.roles.all()))}:
        raise Http404("No such chart.")
    return getattr(Desk(user, today=today or timezone.localdate()), key)
