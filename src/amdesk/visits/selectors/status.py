"""Each client's visit status by the frequency norms: last visit, next due date, overdue or not.

Computed in SQL on the fly (two indexed subqueries per client), so a norm edited in the admin, a
client moved to another tier and a visit just recorded all show at once, without stored copies
to keep in step. Lists page through a few hundred clients; team figures aggregate in one query.
"""

from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from amdesk.core.expressions import AddDays, DaysBetween

from ..models import Visit, VisitNorm, VisitSettings


def norm_interval() -> Subquery:
    """Days between visits for the client (OuterRef), from its most specific active norm; NULL = none."""
    norms = (
        VisitNorm.objects.filter(is_active=True)
        .filter(Q(tier__isnull=True) | Q(tier=OuterRef("tier")))
        .filter(Q(lifecycle="") | Q(lifecycle=OuterRef("lifecycle")))
        .filter(Q(grade__isnull=True) | Q(grade=OuterRef("grade")))
        .filter(Q(vip_level__isnull=True) | Q(vip_level=OuterRef("vip_level")))
        .order_by("-specificity", "order", "id")
    )
    return Subquery(norms.values("interval_days")[:1], output_field=IntegerField())


def counted_visits(settings: VisitSettings | None = None):
    """The visits that count toward the norm (remote ones only when the settings say so)."""
    settings = settings or VisitSettings.current()
    visits = Visit.objects.all()
    if not settings.remote_counts_for_norm:
        visits = visits.filter(mode=Visit.Mode.ON_SITE)
    return visits


def with_visit_status(clients: QuerySet, *, settings: VisitSettings | None = None) -> QuerySet:
    """Annotate visit_interval, last_visited_on and next_due_on (a client never visited is due
    one interval after it entered the archive)."""
    visits = counted_visits(settings).filter(client=OuterRef("pk")).order_by("-visited_on")
    return clients.annotate(
        visit_interval=norm_interval(),
        last_visited_on=Subquery(visits.values("visited_on")[:1]),
    ).annotate(
        next_due_on=AddDays(Coalesce("last_visited_on", TruncDate("created_at")), "visit_interval"),
    )


STATUSES = ("overdue", "due_soon", "on_time", "no_norm")


def status_q(status: str, *, today: date, settings: VisitSettings | None = None) -> Q:
    """Condition on a with_visit_status() queryset for one status."""
    settings = settings or VisitSettings.current()
    soon = today + timedelta(days=settings.due_soon_days)
    return {
        "overdue": Q(next_due_on__lt=today),
        "due_soon": Q(next_due_on__gte=today, next_due_on__lte=soon),
        "on_time": Q(next_due_on__gt=soon),
        "no_norm": Q(visit_interval__isnull=True),
    }[status]


def status_of(client, *, today: date, settings: VisitSettings) -> str:
    """The status of one annotated client, for display."""
    if client.visit_interval is None:
        return "no_norm"
    due = client.next_due_on
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=settings.due_soon_days):
        return "due_soon"
    return "on_time"


def compliance_now(clients: QuerySet, *, today: date, group_by=("owner", "tier")) -> QuerySet:
    """Per group: clients under a norm, and how many are not overdue today (the rate a desk shows)."""
    return (
        with_visit_status(clients)
        .filter(visit_interval__isnull=False)
        .values(*group_by)
        .annotate(clients=Count("id"), on_time=Count("id", filter=Q(next_due_on__gte=today)))
        .order_by(*group_by)
    )


def compliance_in_period(
    clients: QuerySet, *, start: date, end: date, group_by=("owner", "tier")
) -> QuerySet:
    """Frequency compliance over a period: a client whose norm asks for n = days // interval ≥ 1
    visits in the period complies when it had at least n; clients not due in it are left out.

    The days are those the client was in the archive: one taken on mid-period owes visits for the
    rest of it only, and one taken on after the period (or too late in it) is not due at all."""
    visits = (
        counted_visits()
        .filter(client=OuterRef("pk"), visited_on__range=(start, end))
        .order_by()
        .values("client")
        .annotate(n=Count("id"))
        .values("n")
    )
    since = Greatest(Value(start, output_field=DateField()), TruncDate("created_at"))
    days = DaysBetween(since, Value(end, output_field=DateField())) + 1
    return (
        clients.annotate(visit_interval=norm_interval())
        .filter(visit_interval__isnull=False)
        .annotate(
            required=ExpressionWrapper(days / F("visit_interval"), output_field=IntegerField()),
            made=Coalesce(Subquery(visits, output_field=IntegerField()), 0),
        )
        .filter(required__gte=1)
        .values(*group_by)
        .annotate(clients=Count("id"), complied=Count("id", filter=Q(made__gte=F("required"))))
        .order_by(*group_by)
    )
