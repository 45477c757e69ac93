"""Pay components per person for a period (not a payroll: an input sheet for one).

For each score card of a computed or approved period:
- base pay: the active PayBand with the highest `min_aum` at or below the assets he managed at the
  period's end (and whose `min_grade`, when set, he holds); an `opening_bonus_only` band pays no
  base but PaySettings.opening_bonus per account opened in the period (clients that came into his
  hands by creation or import);
- grade allowance: his grade's monthly GradeAllowance × the months of the period;
- performance pay: PaySettings.performance_pay_full × score/100 × months (nothing below
  performance_floor_score), of which deferred_percent is held for deferred_months.
His grade is the card's snapshot (the grade he held when the period ran). Every component carries
its reason in words. A fixed number of queries whatever the number of people."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import AumSnapshot, ClientOwnership
from amdesk.orgs.models import Staff

from ..models import AppraisalPeriod, GradeAllowance, PayBand, PaySettings, PeriodKind, ScoreCard
from ..services.access import led_staff_q

MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
CENT = Decimal("0.01")
ZERO = Decimal(0)


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    return f"{_money(value):,.2f}"


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def assets_managed(staff_ids: list[int], end) -> dict[int, Decimal]:
    """Each person's clients' assets at `end`: the clients he owned at the end of that day, each at
    its latest AUM snapshot on or before it. One query."""
    until = _day_start(end + timedelta(days=1))
    latest = Subquery(
        AumSnapshot.objects.filter(client_id=OuterRef("client_id"), as_of__lte=end)
        .order_by("-as_of")
        .values("amount")[:1],
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    rows = (
        ClientOwnership.objects.filter(owner_id__in=staff_ids, started_at__lt=until)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=until))
        .values("owner_id")
        .annotate(
            total=Coalesce(Sum(latest), ZERO, output_field=DecimalField(max_digits=20, decimal_places=2))
        )
    )
    return {row["owner_id"]: row["total"] for row in rows}


def accounts_opened(staff_ids: list[int], start, end) -> dict[int, int]:
    """Clients that came into each person's hands by creation or import within the period. One query."""
    rows = (
        ClientOwnership.objects.filter(
            owner_id__in=staff_ids,
            how__in=[ClientOwnership.How.CREATED, ClientOwnership.How.IMPORT],
            started_at__gte=_day_start(start),
            started_at__lt=_day_start(end + timedelta(days=1)),
        )
        .values("owner_id")
        .annotate(n=Count("id"))
    )
    return {row["owner_id"]: row["n"] for row in rows}


@dataclass
class Component:
    amount: Decimal
    reason: str


@dataclass
class PayLine:
    card: ScoreCard
    assets: Decimal
    band: PayBand | None
    formal_contract: bool
    base: Component
    opening_bonus: Component
    allowance: Component
    performance: Component  # the whole performance pay
    deferred: Component  # the share of it held back
    paid_now: Decimal  # base + bonus + allowance + performance − deferred
    deferred_until: str  # YYYY-MM when the deferred share is paid

    @property
    def staff(self):
        return self.card.staff

    @property
    def performance_now(self) -> Decimal:
        return self.performance.amount - self.deferred.amount


def pay_periods(*, viewer) -> QuerySet:
    """Periods with results to pay from (computed or approved), latest first."""
    return (
        AppraisalPeriod.objects.filter(
            state__in=[AppraisalPeriod.State.COMPUTED, AppraisalPeriod.State.APPROVED]
        )
        .select_related("version__scheme")
        .order_by("-end", "-id")
    )


def _band_for(bands: list[PayBand], assets: Decimal, grade) -> PayBand | None:
    fitting = [
        band
        for band in bands
        if band.min_aum <= assets
        and (band.min_grade is None or (grade is not None and band.min_grade.order <= grade.order))
    ]
    if not fitting:
        return None
    return max(
        fitting, key=lambda band: (band.min_aum, band.min_grade.order if band.min_grade else -1, band.order)
    )


def _add_months(day, months: int):
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def pay_lines(*, viewer, period: AppraisalPeriod, staff_id: int | None = None) -> list[PayLine]:
    """Pay components of the period's people the viewer sees (an AM his own line, a supervisor his
    team's, admins everyone). Seven queries whatever the number of people."""
    cards = ScoreCard.objects.filter(
        period=period, staff__in=Staff.objects.filter(led_staff_q(viewer)).values("pk")
    )
    if staff_id is not None:
        cards = cards.filter(staff_id=staff_id)
    cards = list(
        cards.select_related("staff__org_node", "grade", "org_node").order_by(
            "org_node__path", "staff__employee_no"
        )
    )
    if not cards:
        return []
    ids = [card.staff_id for card in cards]
    assets = assets_managed(ids, period.end)
    opened = accounts_opened(ids, period.start, period.end)
    bands = list(PayBand.objects.filter(is_active=True).select_related("min_grade"))
    allowances = dict(GradeAllowance.objects.values_list("grade_id", "monthly"))
    settings = PaySettings.current()
    months = MONTHS.get(period.kind, 1)
    deferred_until = _add_months(period.end, settings.deferred_months + 1).strftime("%Y-%m")
    return [
        _line(
            card,
            assets.get(card.staff_id, ZERO),
            opened.get(card.staff_id, 0),
            bands,
            allowances,
            settings,
            months,
            deferred_until,
        )
        for card in cards
    ]


def _line(card, assets, opened, bands, allowances, settings, months, deferred_until) -> PayLine:
    grade = card.grade
    band = _band_for(bands, assets, grade)
    values = {"assets": _fmt(assets), "months": months}
    if band is None:
        base = Component(ZERO, _("Assets managed %(assets)s: no pay band applies") % values)
        bonus = Component(ZERO, "")
    elif band.opening_bonus_only:
        base = Component(
            ZERO,
            _("Assets managed %(assets)s, band “%(band)s”: account-opening bonus only")
            % {**values, "band": band.name},
        )
        bonus = Component(
            _money(settings.opening_bonus * opened),
            _("%(n)s accounts opened × %(bonus)s") % {"n": opened, "bonus": _fmt(settings.opening_bonus)},
        )
    else:
        base = Component(
            _money(band.base_monthly * months),
            _("Assets managed %(assets)s ≥ %(floor)s, band “%(band)s”: %(monthly)s a month × %(months)s")
            % {**values, "floor": _fmt(band.min_aum), "band": band.name, "monthly": _fmt(band.base_monthly)},
        )
        bonus = Component(ZERO, _("Only in the account-opening band"))
    if grade is None:
        allowance = Component(ZERO, _("No ladder grade"))
    elif grade.pk not in allowances:
        allowance = Component(ZERO, _("No allowance set for %(grade)s") % {"grade": grade.label})
    else:
        monthly = allowances[grade.pk]
        allowance = Component(
            _money(monthly * months),
            _("%(grade)s allowance %(monthly)s a month × %(months)s")
            % {"grade": grade.label, "monthly": _fmt(monthly), "months": months},
        )
    score = card.score
    if score < settings.performance_floor_score:
        performance = Component(
            ZERO,
            _("Score %(score)s is below %(floor)s: no performance pay")
            % {"score": score, "floor": settings.performance_floor_score},
        )
        deferred = Component(ZERO, "")
    else:
        amount = _money(settings.performance_pay_full * months * score / 100)
        performance = Component(
            amount,
            _("Score %(score)s / 100 × %(full)s a month × %(months)s")
            % {"score": score, "full": _fmt(settings.performance_pay_full), "months": months},
        )
        held = _money(amount * settings.deferred_percent / 100)
        deferred = Component(
            held,
            _("%(percent)s%% deferred %(n)s months (paid in %(month)s)")
            % {"percent": settings.deferred_percent, "n": settings.deferred_months, "month": deferred_until},
        )
    paid_now = base.amount + bonus.amount + allowance.amount + performance.amount - deferred.amount
    return PayLine(
        card=card,
        assets=assets,
        band=band,
        formal_contract=bool(band and band.formal_contract),
        base=base,
        opening_bonus=bonus,
        allowance=allowance,
        performance=performance,
        deferred=deferred,
        paid_now=paid_now,
        deferred_until=deferred_until,
    )


def pay_totals(lines: list[PayLine]) -> dict[str, Decimal]:
    return {
        "base": sum((line.base.amount for line in lines), ZERO),
        "opening_bonus": sum((line.opening_bonus.amount for line in lines), ZERO),
        "allowance": sum((line.allowance.amount for line in lines), ZERO),
        "performance": sum((line.performance.amount for line in lines), ZERO),
        "deferred": sum((line.deferred.amount for line in lines), ZERO),
        "paid_now": sum((line.paid_now for line in lines), ZERO),
    }
