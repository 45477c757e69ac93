"""Reads of periods and score cards, scoped like every list: an AM his own card, a supervisor or
head the cards of the teams under the nodes he leads (by the card's team at the run), the
appraisal admin all."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from amdesk.orgs.access import scope_of, scoped
from amdesk.orgs.models import OrgNode

from ..models import AppraisalPeriod, IndicatorResult, ScoreCard, TeamSignOff
from ..services.access import is_appraisal_admin, led_cards_q, may_sign_off


def period_list(*, viewer) -> QuerySet[AppraisalPeriod]:
    """Every period (they are the frame of everyone's cards: nothing personal), newest first, with
    its card and sign-off counts."""
    return (
        AppraisalPeriod.objects.select_related("version__scheme")
        .annotate(people=Count("cards", distinct=True), signed=Count("sign_offs", distinct=True))
        .order_by("-start", "pk")
    )


def access_period(viewer, pk) -> AppraisalPeriod:
    period = (
        AppraisalPeriod.objects.select_related("version__scheme", "computed_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if period is None or not viewer.is_authenticated:
        raise Http404("No such period.")
    return period


def card_q(viewer) -> Q:
    # Not the client read scope (records_q): a product manager reads his team's clients, not its scores.
    return led_cards_q(viewer)


def card_list(
    *, viewer, period: AppraisalPeriod | None = None, org_node: OrgNode | None = None
) -> QuerySet[ScoreCard]:
    cards = (
        scoped(ScoreCard.objects.all(), card_q(viewer))
        .select_related("staff", "org_node", "branch", "grade", "period__version__scheme")
        .annotate(change=F("score") - F("previous_score"))
    )
    if period is not None:
        cards = cards.filter(period=period)
    if org_node is not None:
        cards = cards.filter(org_node=org_node)
    return cards.order_by("-period__start", "-score", "staff_id")


def access_card(viewer, pk) -> ScoreCard:
    """One card the viewer may see; "not found" for both missing and forbidden."""
    card = card_list(viewer=viewer).filter(pk=pk).first()
    if card is None:
        raise Http404("No such score card.")
    return card


def access_result(viewer, pk) -> IndicatorResult:
    """An indicator result to adjust: the appraisal admin's only."""
    if not is_appraisal_admin(viewer):
        raise Http404("No such result.")
    result = (
        IndicatorResult.objects.select_related("card__period", "scheme_indicator__indicator")
        .filter(pk=pk)
        .first()
    )
    if result is None:
        raise Http404("No such result.")
    return result


def latest_card(*, viewer, staff=None) -> ScoreCard | None:
    """The viewer's (or a person's in scope) most recent card of a computed or approved period."""
    staff = staff or viewer
    return (
        card_list(viewer=viewer).filter(staff=staff).exclude(period__state=AppraisalPeriod.State.OPEN).first()
    )


@dataclass
class TeamState:
    node: OrgNode
    people: int
    sign_off: TeamSignOff | None
    may_sign: bool


def team_states(*, viewer, period: AppraisalPeriod) -> list[TeamState]:
    """The teams of the period the viewer sees, each with its people, its sign-off and whether the
    viewer may sign it off. Three queries whatever the number of teams."""
    counts = dict(
        card_list(viewer=viewer, period=period).order_by().values_list("org_node_id").annotate(n=Count("pk"))
    )
    nodes = OrgNode.objects.filter(pk__in=counts).select_related("leader").order_by("path")
    signed = {
        row.org_node_id: row
        for row in period.sign_offs.filter(org_node_id__in=counts).select_related("signed_by")
    }
    scope_of(viewer)  # computed once, then may_sign_off reads it for each node without a query
    return [
        TeamState(node, counts[node.pk], signed.get(node.pk), may_sign_off(viewer, node)) for node in nodes
    ]


def score_buckets(scores, *, width: int = 10) -> list[dict]:
    """The distribution of scores in buckets of `width` points (0–9, 10–19 … 90–100), with each
    bucket's share of the largest one for CSS bars."""
    counts = [0] * (100 // width)
    for score in scores:
        index = min(int(score) // width, len(counts) - 1)
        counts[max(index, 0)] += 1
    top = max(counts) or 1
    return [
        {
            "low": n * width,
            "high": n * width + width - 1 if n < len(counts) - 1 else 100,
            "count": count,
            "percent": round(100 * count / top),
        }
        for n, count in enumerate(counts)
    ]
