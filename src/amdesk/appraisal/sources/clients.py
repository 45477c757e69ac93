"""Sources over the client archive: clients won, AUM and its growth, cross-selling, product
coverage, key-client retention and churn, archive completeness.

Client results are credited through teams.credit(): a client with a selling team to its members by
share, otherwise to his owner at the moment that counts (ClientOwnership keeps who owned whom when).
Every source runs a fixed number of queries, whatever the number of people."""

from decimal import Decimal

from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from . import Context, Param, Source, register
from .teams import credit, credit_sums, day_after, day_start, in_team_q, rates

LIFECYCLE = "lifecycle"


def owner_then_q(ctx: Context) -> Q:
    """Changes of a client made while one of his ownership rows was current, that row concerning the
    run's people: one condition, so the joined ownership row is the same for every part of it."""
    return (
        Q(client__ownerships__started_at__lte=F("changed_at"))
        & (Q(client__ownerships__ended_at__isnull=True) | Q(client__ownerships__ended_at__gt=F("changed_at")))
        & (Q(client__ownerships__owner__in=ctx.staff_ids) | in_team_q(ctx))
    )


def owned_at_q(moment, prefix: str = "") -> Q:
    """Ownership rows (or, with prefix "ownerships__", clients) owned at `moment`."""
    return Q(**{f"{prefix}started_at__lte": moment}) & (
        Q(**{f"{prefix}ended_at__isnull": True}) | Q(**{f"{prefix}ended_at__gt": moment})
    )


def concerning_q(ctx: Context, owner_field: str = "owner", client_field: str = "client") -> Q:
    return Q(**{f"{owner_field}__in": ctx.staff_ids}) | in_team_q(ctx, client_field)


def lifecycle_at(moment, client_ref: str = "client", current: str = "client__lifecycle"):
    """The client's lifecycle at `moment`, from the archive's change history: the last change
    before it, else the state the first later change started from, else today's state."""
    from amdesk.clients.models import ClientChange

    changes = ClientChange.objects.filter(client=OuterRef(client_ref), field=LIFECYCLE)
    before = changes.filter(changed_at__lt=moment).order_by("-changed_at", "-id").values("new_value")[:1]
    after = changes.filter(changed_at__gte=moment).order_by("changed_at", "id").values("old_value")[:1]
    # Few clients ever change lifecycle: one index probe settles the rest (CASE is lazy on both
    # databases), instead of two look-ups of the history per client and moment.
    return Case(
        When(Exists(changes), then=Coalesce(Subquery(before), Subquery(after), F(current))),
        default=F(current),
    )


# --- Clients won -----------------------------------------------------------------------------


def _clients_won(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.clients.models import Client, ClientChange, ClientOwnership

    begin, finish = day_start(ctx.start), day_after(ctx.end)
    won = Client.Lifecycle.WON
    # Turned into a won client in the period: credited to whoever owned him at that moment.
    changed = ClientChange.objects.filter(
        owner_then_q(ctx),
        field=LIFECYCLE,
        new_value=won,
        changed_at__gte=begin,
        changed_at__lt=finish,
    ).values_list("client_id", "client__ownerships__owner_id")
    # Entered the archive in the period already won (created or imported so).
    first_state = Coalesce(
        Subquery(
            ClientChange.objects.filter(client=OuterRef("client"), field=LIFECYCLE)
            .order_by("changed_at", "id")
            .values("old_value")[:1]
        ),
        F("client__lifecycle"),
    )
    entered = (
        ClientOwnership.objects.filter(
            how__in=[ClientOwnership.How.CREATED, ClientOwnership.How.IMPORT],
            started_at__gte=begin,
            started_at__lt=finish,
        )
        .filter(concerning_q(ctx))
        .annotate(first_state=first_state)
        .filter(first_state=won)
        .values_list("client_id", "owner_id")
    )
    found: dict[int, int] = {}
    for client_id, owner_id in [*entered, *changed]:
        found.setdefault(client_id, owner_id)
    return credit(ctx, ((client, owner, Decimal(1)) for client, owner in found.items()))


# --- AUM -------------------------------------------------------------------------------------


def aum_at(ctx: Context, day) -> dict[int, Decimal]:
    """{staff id: credited AUM} of the clients owned at the end of `day`, each at his latest snapshot
    on or before it (cached per day). The latest snapshot is the one with no later one up to `day`
    (an anti-join: set-based for everyone, index lookups for one person, on both databases)."""
    key = ("aum_at", day)
    if key not in ctx.cache:
        from amdesk.clients.models import AumSnapshot

        later = AumSnapshot.objects.filter(
            client=OuterRef("client"), as_of__gt=OuterRef("as_of"), as_of__lte=day
        )

        def rows(concern: Q):
            # One filter() call: the ownership conditions share one join.
            return AumSnapshot.objects.filter(
                concern,
                owned_at_q(day_after(day), "client__ownerships__"),
                ~Exists(later),
                as_of__lte=day,
            ).values(row_client=F("client_id"), row_owner=F("client__ownerships__owner_id"), v0=F("amount"))

        sums = credit_sums(ctx, rows, (2,), owner_field="client__ownerships__owner")
        ctx.cache[key] = {staff: total for staff, (total,) in sums.items()}
    return ctx.cache[key]


def _aum_end(ctx: Context, params) -> dict[int, Decimal]:
    return aum_at(ctx, ctx.end)


def _aum_growth(ctx: Context, params) -> dict[int, Decimal]:
    now, before = aum_at(ctx, ctx.end), aum_at(ctx, ctx.previous[1])
    found = {}
    for staff in ctx.staff_ids:
        base = before.get(staff, Decimal(0))
        if base:
            found[staff] = (100 * (now.get(staff, Decimal(0)) - base) / base).quantize(Decimal("0.01"))
    return found


# --- Holdings: cross-selling and product coverage ---------------------------------------------


LEAST_LINES = 2


def _line_sums(ctx: Context, least: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """{staff id: (credited clients with `least` product lines or more, credited product lines,
    credited clients)} over his current clients that are neither prospects nor lost (cached per
    `least`). Holdings are as recorded now (the archive keeps no holding history)."""
    key = ("holding_lines", least)
    if key not in ctx.cache:
        from amdesk.clients.models import Client

        def rows(concern: Q):
            lines = Count("holdings__product__line", distinct=True, filter=Q(holdings__balance__gt=0))
            return (
                Client.objects.filter(concern)
                .exclude(lifecycle__in=[Client.Lifecycle.PROSPECT, Client.Lifecycle.LOST])
                .annotate(lines=lines)
                .values(
                    row_client=F("pk"),
                    row_owner=F("owner_id"),
                    v0=Case(When(lines__gte=least, then=Value(1)), default=Value(0)),
                    v1=F("lines"),
                    v2=Value(1),
                )
            )

        ctx.cache[key] = credit_sums(ctx, rows, (0, 0, 0), client_field="pk")
    return ctx.cache[key]


def _cross_sell_rate(ctx: Context, params) -> dict[int, Decimal]:
    sums = _line_sums(ctx, params["min_lines"])
    return rates({staff: (held, clients) for staff, (held, _lines, clients) in sums.items()})


def _product_coverage(ctx: Context, params) -> dict[int, Decimal]:
    # Any `least` gives the lines and clients: share the cross-sell rate's query at its default.
    sums = _line_sums(ctx, LEAST_LINES)
    return {
        staff: (lines / clients).quantize(Decimal("0.01"))
        for staff, (_held, lines, clients) in sums.items()
        if clients
    }


# --- Archive ---------------------------------------------------------------------------------


def _archive_completeness(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.clients.models import Client

    rows = (
        Client.objects.filter(owner__in=ctx.staff_ids)
        .values("owner_id")
        .annotate(mean=Avg("completeness"))
        .values_list("owner_id", "mean")
        .order_by()
    )
    return {owner: Decimal(str(mean)).quantize(Decimal("0.01")) for owner, mean in rows if mean is not None}


register(
    Source(
        "clients_won",
        _("Clients won"),
        _clients_won,
        unit="户",
        help=_(
            "Clients that became won clients in the period (their lifecycle changed to won, or they "
            "entered the archive as won), credited to the owner at that moment, or to the selling team "
            "by share."
        ),
    )
)
register(
    Source(
        "aum_end",
        _("Clients' AUM at the period's end"),
        _aum_end,
        unit="元",
        help=_(
            "Assets under management of the clients he owns at the end of the period, each at his latest "
            "AUM snapshot on or before that day; team clients split by share."
        ),
    )
)
register(
    Source(
        "aum_growth",
        _("AUM growth"),
        _aum_growth,
        unit="%",
        empty=None,
        help=_(
            "Change of his clients' AUM at the period's end against his clients' AUM at the end of the "
            "previous period, in percent; no value without AUM at the previous end."
        ),
    )
)
register(
    Source(
        "cross_sell_rate",
        _("Cross-sell rate"),
        _cross_sell_rate,
        params={"min_lines": Param(int, LEAST_LINES, _("Product lines at least"))},
        unit="%",
        empty=None,
        help=_(
            "Share of his clients (won clients and centres of influence) holding products of at least N "
            "product lines, in percent. Holdings as recorded now: the archive keeps no holding history."
        ),
    )
)
register(
    Source(
        "product_coverage",
        _("Product coverage per client"),
        _product_coverage,
        unit="条",
        empty=None,
        help=_(
            "Mean number of distinct product lines held per client (won clients and centres of "
            "influence), as recorded now."
        ),
    )
)
register(
    Source(
        "archive_completeness",
        _("Archive completeness"),
        _archive_completeness,
        unit="%",
        empty=None,
        help=_("Mean archive completeness of the clients he owns now, in percent."),
    )
)
