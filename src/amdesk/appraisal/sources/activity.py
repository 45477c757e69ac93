"""Sources over what account managers record day to day (visits…)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import Context, Source, register


def _visit_counts(ctx: Context) -> dict[int, int]:
    """Visits per person in the period, of any kind and mode, counted once per run for the sources
    that need no more than that count (visits made, contacts per day). COUNT(*) over the owner and
    the date only, so PostgreSQL can answer from an index alone (no table rows read)."""
    if "visit_counts" not in ctx.cache:
        from amdesk.visits.models import Visit

        rows = (
            Visit.objects.filter(owner__in=ctx.staff_ids, visited_on__range=(ctx.start, ctx.end))
            .values_list("owner_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        ctx.cache["visit_counts"] = dict(rows)
    return ctx.cache["visit_counts"]


def _visits(ctx: Context, params) -> dict[int, Decimal]:
    return {owner: Decimal(n) for owner, n in _visit_counts(ctx).items()}


register(
    Source(
        "visits_made",
        _("Visits recorded"),
        _visits,
        unit="次",
        help=_("Visits he recorded in the period, of any kind and mode."),
    )
)


def _visit_kpis(ctx: Context):
    """The visits capability's own figures (visits/selectors/kpis.py) for the run's people, read once
    per run: a fixed number of queries."""
    if "visit_kpis" not in ctx.cache:
        from amdesk.orgs.models import Staff
        from amdesk.visits.selectors.kpis import visit_kpis

        ctx.cache["visit_kpis"] = visit_kpis(
            Staff.objects.filter(pk__in=ctx.staff_ids), start=ctx.start, end=ctx.end
        )
    return ctx.cache["visit_kpis"]


def _rate(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _visit_compliance(ctx: Context, params) -> dict[int, Decimal]:
    found = {pk: _rate(kpis.compliance_rate()) for pk, kpis in _visit_kpis(ctx).items()}
    return {pk: value for pk, value in found.items() if value is not None}


def _visit_plan_completion(ctx: Context, params) -> dict[int, Decimal]:
    found = {pk: _rate(kpis.plan_completion) for pk, kpis in _visit_kpis(ctx).items()}
    return {pk: value for pk, value in found.items() if value is not None}


def _contacts_per_day(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.core import calendar

    # Working days of the period by the working-day calendar (holidays and make-up days included).
    days = calendar.working_days_between(ctx.start - timedelta(days=1), ctx.end)
    if not days:
        return {}
    # Contacts 关系维护次数 are visits of any mode, as the visits capability counts them
    # (VisitKpis.contacts); everyone gets a value, 0.00 when he made none.
    counts = _visit_counts(ctx)
    return {pk: (Decimal(counts.get(pk, 0)) / days).quantize(Decimal("0.01")) for pk in ctx.staff_ids}


register(
    Source(
        "visit_compliance",
        _("Visit frequency compliance"),
        _visit_compliance,
        unit="%",
        empty=None,
        help=_(
            "Share of his clients due a visit by their norm in the period that had the visits the norm "
            "asks for, in percent."
        ),
    )
)
register(
    Source(
        "visit_plan_completion",
        _("Visit plan completion"),
        _visit_plan_completion,
        unit="%",
        empty=None,
        help=_(
            "Share of the visits on his handed-in weekly visit schedules that were made, in percent "
            "(visits still to come are not counted as missed)."
        ),
    )
)
register(
    Source(
        "contacts_per_day",
        _("Client contacts per working day"),
        _contacts_per_day,
        unit="次/日",
        help=_("Visits of any mode (on site, phone, video) divided by the working days of the period."),
    )
)
