"""The account manager's desk: today's route, overdue clients by tier, open tickets with their SLA
clock, follow-ups and birthdays of the week, the week's holidays, target progress. Each function
answers in a fixed number of queries, over the AM's own records only."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from lunar_python import Solar

from amdesk.clients.models import Client, ClientTier
from amdesk.core import calendar
from amdesk.planning.models import FollowUpAction
from amdesk.planning.selectors import month_targets
from amdesk.service.models import OPEN_STATES
from amdesk.service.selectors.tickets import tickets_for
from amdesk.visits.selectors.records import today_route
from amdesk.visits.selectors.status import status_q, with_visit_status

from ..charts import Chart

LIST_SIZE = 10


def week_of(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def route(user, *, today: date) -> list:
    """Today's entries of the AM's schedule, in route order, each with its visit when made."""
    return list(today_route(user, today=today)[:30])


def overdue_by_tier(user, *, today: date) -> Chart:
    """The AM's served clients overdue for a visit, per tier (the preset's tiers, highest first)."""
    own = Client.objects.filter(owner=user).exclude(lifecycle=Client.Lifecycle.LOST)
    counts = dict(
        with_visit_status(own)
        .filter(status_q("overdue", today=today))
        .values("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
        .order_by()
    )
    tiers = ClientTier.objects.filter(Q(is_active=True) | Q(pk__in=list(counts))).order_by("order", "code")
    return Chart(
        key="overdue_by_tier",
        title=_("My clients overdue for a visit, by tier"),
        kind="bar",
        columns=[_("Tier"), _("Clients overdue")],
        rows=[[str(tier), counts.get(tier.pk, 0)] for tier in tiers],
        client_data=True,
    )


def open_tickets(user) -> list:
    """The AM's own open tickets, the most urgent first, each with `sla_due` and `sla_status`."""
    return list(
        tickets_for(user)
        .filter(owner=user, state__in=OPEN_STATES)
        .order_by("sla_rank", "sla_due", "id")[:LIST_SIZE]
    )


def followups_due(user, *, today: date) -> list:
    """The AM's key-client follow-up actions not done and planned up to the end of this week."""
    sunday = week_of(today)[-1]
    return list(
        FollowUpAction.objects.filter(plan__owner=user, done_on__isnull=True, planned_on__lte=sunday)
        .select_related("plan__client")
        .order_by("planned_on", "id")[:LIST_SIZE]
    )


@dataclass(frozen=True)
class Birthday:
    client: Client
    day: date
    lunar: bool


@lru_cache(maxsize=64)
def _lunar_days(days: tuple[date, ...]) -> dict[tuple[int, int], date]:
    """(lunar month, lunar day) → the solar day of this week it falls on. A lunar birthday on the
    30th of a month that has only 29 days this year is kept on the month's last day (the 29th)."""
    found = {}
    for day in days:
        lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        month, number = abs(lunar.getMonth()), lunar.getDay()
        found.setdefault((month, number), day)
        following = Solar.fromYmd(day.year, day.month, day.day).next(1).getLunar()
        if number == 29 and following.getDay() == 1:
            found.setdefault((month, 30), day)
    return found


@lru_cache(maxsize=65_536)
def lunar_birthday_of(birth: date) -> tuple[int, int]:
    """(Cached: a pure function of the date, and lunar_python recomputes a whole lunar year for each
    year it is asked about, some 8 ms; callers ask in birth-date order so a year is computed once.)"""
    lunar = Solar.fromYmd(birth.year, birth.month, birth.day).getLunar()
    return abs(lunar.getMonth()), lunar.getDay()


def birthdays(user, *, today: date) -> list[Birthday]:
    """The AM's served clients whose birthday falls this week (Monday to Sunday): solar ones by month
    and day in SQL; lunar ones (the client keeps the lunar date of his birth) by converting this
    week's days to lunar dates and each lunar client's birth date, in Python (one query). 29 February
    falls on 28 February in other years."""
    days = week_of(today)
    own = (
        Client.objects.filter(owner=user, birth_date__isnull=False)
        .exclude(lifecycle=Client.Lifecycle.LOST)
        .only("pk", "name", "birth_date", "birthday_kind")
    )
    solar_days = {(day.month, day.day): day for day in days}
    if (2, 28) in solar_days and not calendar_is_leap(solar_days[(2, 28)].year):
        solar_days.setdefault((2, 29), solar_days[(2, 28)])
    solar_q = Q()
    for month, number in solar_days:
        solar_q |= Q(birth_date__month=month, birth_date__day=number)
    lunar_kind = Q(birthday_kind=Client.BirthdayKind.LUNAR)
    lunar_days = _lunar_days(tuple(days))
    found = []
    for client in own.filter((~lunar_kind & solar_q) | lunar_kind).order_by("birth_date", "id"):
        if client.birthday_kind == Client.BirthdayKind.LUNAR:
            day = lunar_days.get(lunar_birthday_of(client.birth_date))
            if day:
                found.append(Birthday(client, day, True))
        else:
            found.append(
                Birthday(client, solar_days[(client.birth_date.month, client.birth_date.day)], False)
            )
    return sorted(found, key=lambda birthday: (birthday.day, birthday.client.pk))


def calendar_is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class WeekDay:
    day: date
    working: bool
    name: str  # the holiday's name (or the make-up working day's), when the library knows it

    @property
    def special(self) -> bool:
        """A weekday off (a holiday) or a weekend day worked (调休)."""
        return self.working == (self.day.weekday() >= 5)


def holidays_this_week(*, today: date) -> list[WeekDay]:
    """This week's days off that are weekdays, and weekend days that are working days, with the
    working-day calendar (the admin's table first, then the library)."""
    names = {}
    for year in {day.year for day in week_of(today)}:
        names.update({day: name for day, _working, name in calendar.library_days(year)})
    days = [WeekDay(day, calendar.is_working_day(day), names.get(day, "")) for day in week_of(today)]
    return [day for day in days if day.special]


def target_progress(user, *, today: date) -> Chart:
    """This month's indicators with a target: achieved in percent of the target (bars)."""
    table = month_targets(owner=user, month=today, today=today)
    rows = [[str(row.item), row.target, row.achieved, row.rate] for row in table.rows if row.target]
    return Chart(
        key="my_targets",
        title=_("Target progress this month"),
        kind="hbar",
        columns=[_("Indicator"), _("Target"), _("Achieved"), _("Completion %")],
        rows=rows,
        series=(3,),
        note=_("Expected by now: %(share)s%%") % {"share": round(float(table.share) * 100)},
    )
