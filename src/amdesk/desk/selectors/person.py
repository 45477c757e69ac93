"""The 360° page of one account manager: his clients, visits, tickets, surveys, targets, logs and
score on one page, for his supervisor or head (whose scope covers him) and for himself.

Every read goes through the viewer's own scope (client_q, tickets_for, visits_for, work_logs_for,
card_list): the page shows nothing the viewer could not open one by one. A fixed number of queries.
"""

from datetime import date

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from amdesk.appraisal.models import AppraisalPeriod
from amdesk.appraisal.selectors.periods import card_list
from amdesk.clients.models import Client
from amdesk.orgs.access import access_staff, client_q, may_hand_over, scoped
from amdesk.planning.selectors import log_submission_rates, work_logs_for
from amdesk.service.models import OPEN_STATES, SlaStatus
from amdesk.service.selectors.tickets import tickets_for
from amdesk.surveys.selectors.index import satisfaction_index
from amdesk.visits.selectors.records import visits_for
from amdesk.visits.selectors.status import status_q, with_visit_status

from ..charts import Chart
from ..models import OwnerWeek
from ..services import week_starts
from .am import target_progress
from .branch import in_ten_thousands

LIST_SIZE = 10
SCORE_PERIODS = 6


def access_person(viewer, staff_id):
    """The account manager whose 360° page the viewer may open: himself, or someone his scope covers
    when he oversees others (supervisor, head, system admin). "Not found" for both missing and
    forbidden (a product manager's scope covers the team too, but he does not lead it)."""
    if str(staff_id) != str(viewer.pk) and not may_hand_over(viewer):
        raise Http404("No such person.")
    return access_staff(viewer, staff_id)


def person_page(viewer, staff_id, *, today: date) -> dict:
    person = access_person(viewer, staff_id)
    clients = scoped(Client.objects.filter(owner=person), client_q(viewer))
    served = ~Q(lifecycle=Client.Lifecycle.LOST)
    client_figures = clients.aggregate(
        total=Count("id"),
        served=Count("id", filter=served),
        key=Count("id", filter=served & Q(tier__is_key=True)),
        aum=Sum("aum", filter=served),
    )
    client_figures["aum"] = in_ten_thousands(client_figures["aum"])
    client_figures["overdue"] = (
        with_visit_status(clients.filter(served)).filter(status_q("overdue", today=today)).count()
    )
    month = today.replace(day=1)
    visits = visits_for(viewer).filter(owner=person)
    tickets = tickets_for(viewer).filter(owner=person)
    ticket_figures = tickets.aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        breached=Count("id", filter=Q(state__in=OPEN_STATES, sla_status=SlaStatus.BREACHED)),
        this_month=Count("id", filter=Q(received_at__date__gte=month)),
    )
    survey = next(
        (row for row in satisfaction_index(viewer=viewer, group_by="owner").rows if row.key == person.pk),
        None,
    )
    rates = log_submission_rates(viewer=viewer, start=month, end=today)
    cards = list(
        card_list(viewer=viewer)
        .filter(staff=person)
        .exclude(period__state=AppraisalPeriod.State.OPEN)[:SCORE_PERIODS]
    )
    weeks = week_starts(today)
    compliance = {row.week: row for row in OwnerWeek.objects.filter(owner=person, week__in=weeks)}
    return {
        "person": person,
        "clients": client_figures,
        "top_clients": list(clients.filter(served).select_related("tier").order_by("-aum", "id")[:LIST_SIZE]),
        "visits_this_month": visits.filter(visited_on__range=(month, today)).count(),
        "recent_visits": list(visits.order_by("-visited_on", "-id")[:LIST_SIZE]),
        "tickets": ticket_figures,
        "open_tickets": list(
            tickets.filter(state__in=OPEN_STATES).order_by("sla_rank", "sla_due", "id")[:LIST_SIZE]
        ),
        "survey": survey,
        "log_rate": rates.get(person.pk),
        "recent_logs": list(work_logs_for(viewer).filter(owner=person).order_by("-day")[:LIST_SIZE]),
        "score": cards[0] if cards else None,
        "charts": [
            Chart(
                key="compliance",
                title=_("Visit compliance by week (%)"),
                kind="line",
                columns=[_("Week"), _("Visit compliance %"), _("Visits")],
                rows=[
                    [
                        f"{week:%m-%d}",
                        compliance[week].rate if week in compliance else None,
                        compliance[week].visits if week in compliance else 0,
                    ]
                    for week in weeks
                ],
                series=(1,),
                client_data=True,
            ),
            target_progress(person, today=today),
            Chart(
                key="scores",
                title=_("Appraisal scores"),
                kind="line",
                columns=[_("Period"), _("Score"), _("Rank in team")],
                rows=[[card.period.label, card.score, card.team_rank] for card in reversed(cards)],
                series=(1,),
            ),
        ],
    }


def person_chart(viewer, staff_id, key: str, *, today: date) -> tuple[object, Chart]:
    page = person_page(viewer, staff_id, today=today)
    chart = next((chart for chart in page["charts"] if chart.key == key), None)
    if chart is None:
        raise Http404("No such chart.")
    return page["person"], chart
