"""Sources over complaints and quality feedback (service capability) and the satisfaction survey.

The ticket figures use the service KPIs' own definitions (service/selectors/kpis.py): one grouped
query per run for all of them, cached."""

from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import Context, Param, Source, register
from .teams import percent


def _tickets(ctx: Context) -> dict[int, dict]:
    """{owner id: service aggregates} of the tickets received in the period (one query, cached)."""
    if "tickets" not in ctx.cache:
        from amdesk.service.models import DONE_STATES, ServiceSettings, Ticket
        from amdesk.service.selectors.kpis import _aggregates, _period

        now = ctx.cache.setdefault("now", timezone.now())
        begin, finish = _period(ctx.start, ctx.end)
        aggregates = _aggregates(now, ServiceSettings.current().satisfied_from)
        # Resolution on time: resolved by its deadline, among those resolved or already due.
        aggregates["resolution_due"] = Count(
            "id", filter=Q(state__in=DONE_STATES) | Q(resolution_due__lte=now)
        )
        aggregates["resolution_timely"] = Count("id", filter=Q(resolved_at__lte=F("resolution_due")))
        named = {f"n_{name}": value for name, value in aggregates.items()}
        rows = (
            Ticket.objects.filter(owner__in=ctx.staff_ids, received_at__gte=begin, received_at__lt=finish)
            .values("owner")
            .annotate(**named)
            .order_by()
        )
        ctx.cache["tickets"] = {row["owner"]: {name: row[f"n_{name}"] for name in aggregates} for row in rows}
    return ctx.cache["tickets"]


def _sla_rate(ctx: Context, params) -> dict[int, Decimal]:
    part, whole = (
        ("first_feedback_timely", "first_feedback_due")
        if params["clock"] == "feedback"
        else ("resolution_timely", "resolution_due")
    )
    found = {}
    for owner, row in _tickets(ctx).items():
        value = percent(row[part], row[whole])
        if value is not None:
            found[owner] = value
    return found


def _count(name: str):
    def compute(ctx: Context, params) -> dict[int, Decimal]:
        return {owner: Decimal(row[name]) for owner, row in _tickets(ctx).items()}

    return compute


def _callback_rate(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.service.models import DONE_STATES, Ticket
    from amdesk.service.selectors.kpis import _period
    from amdesk.visits.models import Visit

    begin, finish = _period(ctx.start, ctx.end)
    later_visit = Visit.objects.filter(
        client=OuterRef("client"), owner=OuterRef("owner"), visited_on__gte=OuterRef("resolved_on")
    )
    rows = (
        Ticket.objects.filter(
            owner__in=ctx.staff_ids,
            state__in=DONE_STATES,
            resolved_at__gte=begin,
            resolved_at__lt=finish,
        )
        .annotate(resolved_on=TruncDate("resolved_at"))
        .annotate(visited=Exists(later_visit))
        .values("owner")
        .annotate(
            resolved=Count("id"),
            called=Count(
                "id",
                filter=Q(confirmed_at__isnull=False) | Q(satisfaction__isnull=False) | Q(visited=True),
            ),
        )
        .values_list("owner", "called", "resolved")
        .order_by()
    )
    return {owner: percent(called, resolved) for owner, called, resolved in rows if resolved}


def _satisfaction_index(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.surveys.models import SurveyResponse, SurveyRound
    from amdesk.surveys.scoring import index_value
    from amdesk.surveys.services.schedule import quarter_of

    # Surveys run by quarter: the rounds whose surveyed period starts in a quarter the period touches.
    first, last = quarter_of(ctx.start)[0], quarter_of(ctx.end)[1]
    rows = (
        SurveyResponse.objects.filter(
            owner__in=ctx.staff_ids, round__period_start__range=(first, last), index__isnull=False
        )
        .exclude(round__state=SurveyRound.State.DRAFT)
        .values("owner")
        .annotate(mean=Avg("index"))
        .values_list("owner", "mean")
        .order_by()
    )
    return {owner: Decimal(str(index_value(mean))) for owner, mean in rows if mean is not None}


register(
    Source(
        "sla_rate",
        _("Service deadline rate"),
        _sla_rate,
        params={
            "clock": Param(str, "feedback", _("Deadline"), choices=("feedback", "resolution")),
        },
        unit="%",
        empty=None,
        help=_(
            'Of his tickets received in the period, the share whose first feedback (clock "feedback") '
            'or resolution (clock "resolution") met its deadline, among those given or already due, '
            "in percent."
        ),
    )
)
register(
    Source(
        "valid_complaints",
        _("Valid complaints"),
        _count("valid_complaints"),
        unit="件",
        help=_("Complaints and quality feedback received in the period and judged justified."),
    )
)
register(
    Source(
        "repeat_complaints",
        _("Repeat complaints"),
        _count("repeat_complaints"),
        unit="件",
        help=_("Tickets received in the period that repeat an earlier one of the client."),
    )
)
register(
    Source(
        "callback_rate",
        _("Callback rate"),
        _callback_rate,
        unit="%",
        empty=None,
        help=_(
            "Of his tickets resolved in the period, the share the client was called back on: the "
            "client confirmed the result or rated the handling, or he visited the client on or after "
            "the day it was resolved; in percent."
        ),
    )
)
register(
    Source(
        "satisfaction_index",
        _("Satisfaction index"),
        _satisfaction_index,
        unit="分",
        empty=None,
        help=_(
            "Mean satisfaction index (0–100) of the survey responses of his clients, for the rounds "
            "whose surveyed period starts in the quarters the period touches."
        ),
    )
)
