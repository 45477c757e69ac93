"""The cards a desk can show, as a registry: code -> template. Which cards a person sees is data:
the `desk_cards` of his roles (seeded per role by the preset, editable in the admin), so a role's
desk shows that role's work and nothing else. A card's template reads the figures it needs from
`desk` (selectors.Desk), which computes each figure only when a card asks for it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DeskCard:
    code: str
    template: str


# In the order the desk lays them out: the charts of a role's desk first.
CARDS: tuple[DeskCard, ...] = (
    DeskCard("branch_trend", "desk/cards/branch_trend.html"),
    DeskCard("team_compare", "desk/cards/team_compare.html"),
    DeskCard("tier_mix", "desk/cards/tier_mix.html"),
    DeskCard("team_kpis", "desk/cards/team_kpis.html"),
    DeskCard("visit_heatmap", "desk/cards/visit_heatmap.html"),
    DeskCard("sla_breaches", "desk/cards/sla_breaches.html"),
    DeskCard("anomalies", "desk/cards/anomalies.html"),
    DeskCard("submissions", "desk/cards/submissions.html"),
    DeskCard("my_route", "desk/cards/my_route.html"),
    DeskCard("my_targets", "desk/cards/my_targets.html"),
    DeskCard("my_ticket_clock", "desk/cards/my_ticket_clock.html"),
    DeskCard("my_week", "desk/cards/my_week.html"),
    DeskCard("my_clients", "desk/cards/clients.html"),
    DeskCard("team_clients", "desk/cards/clients.html"),
    DeskCard("my_visits", "desk/cards/my_visits.html"),
    DeskCard("visit_reviews", "desk/cards/visit_reviews.html"),
    DeskCard("inspections", "desk/cards/inspections.html"),
    DeskCard("my_tickets", "desk/cards/my_tickets.html"),
    DeskCard("team_tickets", "desk/cards/team_tickets.html"),
    DeskCard("my_surveys", "desk/cards/my_surveys.html"),
    DeskCard("team_surveys", "desk/cards/team_surveys.html"),
    DeskCard("my_plans", "desk/cards/my_plans.html"),
    DeskCard("team_plans", "desk/cards/team_plans.html"),
    DeskCard("my_score", "desk/cards/my_score.html"),
    DeskCard("team_appraisal", "desk/cards/team_appraisal.html"),
    DeskCard("appraisal_admin", "desk/cards/appraisal_admin.html"),
    DeskCard("team", "desk/cards/team.html"),
)
CARD_CODES = frozenset(card.code for card in CARDS)

# Each chart (selectors.Desk's attribute of that name) and the card that shows it: a chart is
# exported only by someone whose desk shows its card.
CHART_CARDS = {
    "aum_trend": "branch_trend",
    "visit_trend": "branch_trend",
    "team_compare": "team_compare",
    "tier_mix": "tier_mix",
    "team_kpis": "team_kpis",
    "visit_heatmap": "visit_heatmap",
    "sla_status": "sla_breaches",
    "submissions": "submissions",
    "overdue_by_tier": "my_route",
    "my_targets": "my_targets",
}


def cards_for(roles) -> list[DeskCard]:
    """The union of the roles' cards, in the registry's order; unknown codes are ignored (a card
    removed from the code must not break the desk of a role that still names it)."""
    wanted = {code for role in roles for code in (role.desk_cards or [])}
    # my_clients and team_clients show the same figures (scoped to the viewer): one card of them.
    if "my_clients" in wanted:
        wanted.discard("team_clients")
    return [card for card in CARDS if card.code in wanted]
