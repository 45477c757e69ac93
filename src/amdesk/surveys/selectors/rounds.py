"""Survey rounds and invitations as the viewer may see them, with response rates."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amdesk.orgs.access import records_q, scope_of, scoped

from ..models import SurveyInvitation, SurveyRound
from ..services.common import may_manage_surveys, recorder_q
from ..services.rounds import may_manage_round
from .actions import overdue_action_count
from .grouping import group_key, group_labels


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def visible_rounds(viewer) -> QuerySet:
    """Rounds the viewer may see. Admins: every round; an account manager: the rounds that asked his
    clients; a supervisor or head: those too, plus whole-organisation rounds and rounds of units in
    his scope (drafts included, to prepare them)."""
    rounds = SurveyRound.objects.all()
    scope = scope_of(viewer)
    if scope.sees_all:
        return rounds
    visible = Exists(SurveyInvitation.objects.filter(records_q(viewer), round=OuterRef("pk")))
    if may_manage_surveys(viewer):
        visible |= Q(org_node__isnull=True) | scope.node_q("org_node__")
    return rounds.filter(visible)


def round_list(*, viewer, state: str | None = None) -> QuerySet:
    """Visible rounds with `invited` and `answered` counted over the invitations in the viewer's scope.
    Use `response_rate(round)` for the percentage."""
    in_scope = records_q(viewer, owner_field="invitations__owner", node_field="invitations__org_node")
    rounds = visible_rounds(viewer).select_related("questionnaire", "org_node")
    if state:
        rounds = rounds.filter(state=state)
    return rounds.annotate(
        invited=Count("invitations", filter=in_scope or None),
        answered=Count(
            "invitations", filter=Q(invitations__state=SurveyInvitation.State.ANSWERED) & in_scope
        ),
    )


def response_rate(survey_round) -> float | None:
    """Percent answered of a round from round_list (its annotations)."""
    return _rate(survey_round.answered, survey_round.invited)


def access_round(viewer, round_id, *, for_write: bool = False) -> SurveyRound:
    """One round; "not found" for missing and forbidden (writing: may_manage_round)."""
    survey_round = round_list(viewer=viewer).filter(pk=round_id).first()
    if survey_round is None or (for_write and not may_manage_round(viewer, survey_round)):
        raise Http404("No such survey round.")
    return survey_round


@dataclass
class RateRow:
    key: int | str
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float | None:
        return _rate(self.answered, self.invited)


def round_response_rates(*, viewer, survey_round: SurveyRound, group_by: str = "owner") -> list[RateRow]:
    """Invited and answered per account manager, team or branch in the viewer's scope (3 queries)."""
    key = group_key(group_by)
    rows = (
        scoped(SurveyInvitation.objects.filter(round=survey_round), records_q(viewer))
        .annotate(group=key)
        .values("group")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(state=SurveyInvitation.State.ANSWERED)))
        .order_by("group")
    )
    rows = list(rows)
    labels = group_labels(group_by, [r["group"] for r in rows])
    result = [RateRow(r["group"], labels.get(r["group"], "?"), r["invited"], r["answered"]) for r in rows]
    return sorted(result, key=lambda r: (r.rate is None, -(r.rate or 0), r.label))


def invitation_list(
    *,
    viewer,
    survey_round: SurveyRound | None = None,
    state: str | None = None,
    owner_id: int | None = None,
    search: str = "",
) -> QuerySet:
    """Invitations in the viewer's scope (an AM: his own clients'), newest round first."""
    invitations = scoped(SurveyInvitation.objects.all(), records_q(viewer)).select_related(
        "round", "client", "owner", "org_node"
    )
    if survey_round is not None:
        invitations = invitations.filter(round=survey_round)
    if state:
        invitations = invitations.filter(state=state)
    if owner_id:
        invitations = invitations.filter(owner_id=owner_id)
    if search.strip():
        invitations = invitations.filter(client__name__contains=search.strip())
    return invitations.order_by("-round__period_start", "-round_id", "owner_id", "id")


def access_invitation(viewer, invitation_id) -> SurveyInvitation:
    """One invitation in the viewer's scope; "not found" for missing and forbidden."""
    invitation = (
        invitation_list(viewer=viewer).select_related("round__questionnaire").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404("No such survey invitation.")
    return invitation


def answerable_invitations(viewer) -> QuerySet:
    """Invitations the viewer may record answers for now (the services' rule, recorder_q: his own
    clients', or an overseer's in his scope), pending, in an open round whose last day has not passed."""
    return scoped(SurveyInvitation.objects.all(), recorder_q(viewer)).filter(
        state=SurveyInvitation.State.PENDING,
        round__state=SurveyRound.State.OPEN,
        round__closes_on__gte=timezone.localdate(),
    )


def pending_invitation_for(*, viewer, client_id: int) -> SurveyInvitation | None:
    """The client's invitation the viewer may answer now (the one closing first), e.g. to offer
    "record the survey answers" on a visit to him; None when there is none. One query."""
    return (
        answerable_invitations(viewer)
        .filter(client_id=client_id)
        .select_related("round")
        .order_by("round__closes_on", "id")
        .first()
    )


def survey_desk(*, viewer) -> dict:
    """For the desk: the viewer's own pending invitations in open rounds and his open improvement
    actions (each with `.overdue`); for an overseer, how many actions of his AMs are overdue."""
    from ..models import ImprovementAction

    pending = answerable_invitations(viewer).filter(owner=viewer)
    actions = ImprovementAction.objects.filter(owner=viewer).exclude(state=ImprovementAction.State.DONE)
    return {
        "pending_count": pending.count(),
        "pending": list(pending.select_related("client", "round").order_by("round__closes_on", "id")[:10]),
        "actions": list(actions.select_related("round").order_by("due_on")),
        "team_overdue": overdue_action_count(viewer=viewer),
    }
