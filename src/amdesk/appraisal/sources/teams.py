"""Team selling 团队营销: who gets the credit for what a client brings.

A client with a selling team (SellingTeamMember rows) is credited to each member by share_percent /
100; a client without one is credited 100% to the person the source names (his owner at the moment
that counts). The team rows of every client that concerns the run's people (one they own or owned,
or one whose team they are in) are read once per run and kept in ctx.cache."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import Context

HUNDRED = Decimal(100)


def day_start(day: date) -> datetime:
    """The first moment of `day`, local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    """The first moment after `day` (the end of a period, exclusive)."""
    return day_start(day + timedelta(days=1))


def team_shares(ctx: Context) -> dict[int, list[tuple[int, Decimal]]]:
    """{client id: [(staff id, share 0–1)]} of the clients with a selling team that concern the run's
    people: one query per run (cached)."""
    if "selling_teams" not in ctx.cache:
        from amdesk.appraisal.models import SellingTeamMember
        from amdesk.clients.models import ClientOwnership

        ids = ctx.staff_ids
        concerned = Q(client__in=ClientOwnership.objects.filter(owner__in=ids).values("client")) | Q(
            client__in=SellingTeamMember.objects.filter(staff__in=ids).values("client")
        )
        teams: dict[int, list[tuple[int, Decimal]]] = {}
        rows = SellingTeamMember.objects.filter(concerned).values_list(
            "client_id", "staff_id", "share_percent"
        )
        for client_id, staff_id, share in rows.order_by():
            teams.setdefault(client_id, []).append((staff_id, share / HUNDRED))
        ctx.cache["selling_teams"] = teams
    return ctx.cache["selling_teams"]


def in_team_q(ctx: Context, field: str = "client") -> Q:
    """Rows of clients in whose selling team one of the run's people is."""
    from amdesk.appraisal.models import SellingTeamMember

    return Q(**{f"{field}__in": SellingTeamMember.objects.filter(staff__in=ctx.staff_ids).values("client")})


def credit(ctx: Context, rows: Iterable[tuple[int, int, Decimal]]) -> dict[int, Decimal]:
    """Fold (client id, owner id, value) rows into {staff id: credited value} for the run's people,
    splitting team clients by their shares."""
    teams = team_shares(ctx)
    wanted = set(ctx.staff_ids)
    found: dict[int, Decimal] = {}
    for client_id, owner_id, value in rows:
        shares = teams.get(client_id)
        for staff_id, share in shares if shares is not None else [(owner_id, Decimal(1))]:
            if staff_id in wanted:
                found[staff_id] = found.get(staff_id, Decimal(0)) + Decimal(value) * share
    return found


def credit_pairs(
    ctx: Context, rows: Iterable[tuple[int, int, Decimal, Decimal]]
) -> dict[int, tuple[Decimal, Decimal]]:
    """Like credit() for a rate: rows (client id, owner id, numerator, denominator) → {staff id:
    (credited numerator, credited denominator)}."""
    rows = list(rows)
    tops = credit(ctx, ((c, o, n) for c, o, n, _d in rows))
    bottoms = credit(ctx, ((c, o, d) for c, o, _n, d in rows))
    return {staff: (tops.get(staff, Decimal(0)), bottom) for staff, bottom in bottoms.items()}


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def rates(pairs: dict[int, tuple[Decimal, Decimal]]) -> dict[int, Decimal]:
    """{staff id: numerator / denominator in percent}, leaving out an empty denominator."""
    found = {}
    for staff, (part, whole) in pairs.items():
        value = percent(part, whole)
        if value is not None:
            found[staff] = value
    return found


# --- Index-friendly reads: his own clients, then his team clients -------------------------------
# "owner in X OR client in a team with X" keeps PostgreSQL from using the owner index (a one-person
# read scans the whole book). Sources ask the two halves separately: the clients without a selling
# team owned by the run's people (credited 100 % to the owner, so summed by the database), and the
# clients whose team includes one of them (few; credited by share in Python). The halves are
# disjoint and together give what credit() gives for the OR.


def no_team_q(field: str = "client") -> Q:
    from amdesk.appraisal.models import SellingTeamMember

    return ~Q(Exists(SellingTeamMember.objects.filter(client=OuterRef(field))))


def owned_q(ctx: Context, owner_field: str = "owner", client_field: str = "client") -> Q:
    """The first half: rows of clients without a selling team whose owner is one of the run's people."""
    return Q(**{f"{owner_field}__in": ctx.staff_ids}) & no_team_q(client_field)


def summed_by_owner(rows: QuerySet, places: tuple[int, ...]) -> dict[int, tuple[Decimal, ...]]:
    """{owner id: (sum of v0, sum of v1, …)} of `rows`, a queryset of .values(row_owner=…, v0=…, …):
    the database adds them up (a derived table, plain SQL on both databases). `places` rounds each
    sum (SQLite adds decimals as floats)."""
    sql, params = rows.order_by().query.sql_with_params()
    names = [f"SUM({connection.ops.quote_name(f'v{i}')})" for i in range(len(places))]
    owner = connection.ops.quote_name("row_owner")
    units = [Decimal(1).scaleb(-p) for p in places]
    # Only the ORM's own SQL (its values stay parameters) and fixed column names go into the text.
    query = f"SELECT {owner}, {', '.join(names)} FROM ({sql}) credited_rows GROUP BY {owner}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {
            row[0]: tuple(
                Decimal(str(value)).quantize(unit) for value, unit in zip(row[1:], units, strict=True)
            )
            for row in cursor.fetchall()
        }


def credit_sums(
    ctx: Context,
    rows: Callable[[Q], QuerySet],
    places: tuple[int, ...],
    owner_field: str = "owner",
    client_field: str = "client",
) -> dict[int, tuple[Decimal, ...]]:
    """{staff id: (credited sum of v0, of v1, …)} of the rows concerning the run's people. `rows(q)`
    gives the rows meeting `q` (built on `owner_field` and `client_field`; to be used in the same
    filter() call as the source's other conditions on those relations) as .values(row_client=…,
    row_owner=…, v0=…, …). Two queries (and the team shares, once per run) whatever the people."""
    found = dict(summed_by_owner(rows(owned_q(ctx, owner_field, client_field)), places))
    team_rows = list(rows(in_team_q(ctx, client_field)).order_by())
    teams, wanted, zero = team_shares(ctx), set(ctx.staff_ids), (Decimal(0),) * len(places)
    for row in team_rows:
        for staff_id, share in teams.get(row["row_client"], ()):
            if staff_id in wanted:
                old = found.get(staff_id, zero)
                found[staff_id] = tuple(a + Decimal(row[f"v{i}"]) * share for i, a in enumerate(old))
    return found
