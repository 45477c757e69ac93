"""Sources over plans, logs and targets (planning capability), and training credits."""

from bisect import bisect_left
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import Context, Param, Source, register
from .teams import percent


def _target_completion(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.planning.models import TargetLine
    from amdesk.planning.selectors.targets import achieved_daily

    # Monthly targets of the months the period covers, against what was achieved in the period:
    # registered figures or, for a computed indicator, its source (planning's own reading).
    lines = TargetLine.objects.filter(
        sheet__owner__in=ctx.staff_ids, sheet__month__range=(ctx.start.replace(day=1), ctx.end), target__gt=0
    )
    if params["item"]:
        lines = lines.filter(item__code=params["item"])
    targets: dict[tuple[int, int], Decimal] = {}
    for owner, item, target in lines.values_list("sheet__owner_id", "item_id", "target"):
        targets[(owner, item)] = targets.get((owner, item), Decimal(0)) + target
    achieved: dict[tuple[int, int], Decimal] = {}
    for owner, item, _day, value in achieved_daily(ctx.staff_ids, ctx.start, ctx.end):
        achieved[(owner, item)] = achieved.get((owner, item), Decimal(0)) + value
    rates: dict[int, list[Decimal]] = {}
    for (owner, item), target in targets.items():
        rates.setdefault(owner, []).append(percent(achieved.get((owner, item), Decimal(0)), target))
    # Without an item: the mean of the person's completion rates over his targets.
    return {owner: (sum(values) / len(values)).quantize(Decimal("0.01")) for owner, values in rates.items()}


def _log_submission_rate(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.orgs.models import Staff
    from amdesk.planning.models import PlanningSettings, WorkLog
    from amdesk.planning.selectors.logs import working_days
    from amdesk.planning.services.documents import due_at

    # planning.selectors.logs.log_submission_rates for a given set of people: working days whose log
    # is already due, counted from each person's hire date.
    now = ctx.cache.setdefault("now", timezone.now())
    log_due = PlanningSettings.current().log_due_time
    days = [day for day in working_days(ctx.start, ctx.end) if due_at(day, log_due) <= now]
    if not days:
        return {}
    hired = dict(Staff.objects.filter(pk__in=ctx.staff_ids).values_list("pk", "hire_date"))
    handed_in = dict(
        WorkLog.objects.filter(owner__in=ctx.staff_ids, day__in=days, submitted_at__isnull=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
        .order_by()
    )
    found = {}
    for pk, hire_date in hired.items():
        counted = len(days) - bisect_left(days, hire_date) if hire_date else len(days)
        value = percent(handed_in.get(pk, 0), counted)
        if value is not None:
            found[pk] = value
    return found


def _performance_total(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.planning.models import PerformanceEntry

    entries = PerformanceEntry.objects.filter(sheet__owner__in=ctx.staff_ids, day__range=(ctx.start, ctx.end))
    if params["item"]:
        entries = entries.filter(item__code=params["item"])
    rows = (
        entries.values("sheet__owner_id").annotate(total=Sum("value")).values_list("sheet__owner_id", "total")
    )
    return {owner: total for owner, total in rows.order_by() if total is not None}


def _training_credits(ctx: Context, params) -> dict[int, Decimal]:
    from amdesk.appraisal.models import TrainingAttendance

    rows = (
        TrainingAttendance.objects.filter(
            Q(attended=True), staff__in=ctx.staff_ids, session__held_on__range=(ctx.start, ctx.end)
        )
        .values("staff_id")
        .annotate(total=Sum("credits"))
        .values_list("staff_id", "total")
        .order_by()
    )
    return {staff: total for staff, total in rows if total is not None}


ITEM = Param(str, "", _("Performance item code"))

register(
    Source(
        "target_completion",
        _("Target completion"),
        _target_completion,
        params={"item": ITEM},
        unit="%",
        empty=None,
        help=_(
            "Achieved against the monthly targets of the months in the period, in percent: for one "
            "performance item, or (item empty) the mean over the items he has targets for."
        ),
    )
)
register(
    Source(
        "log_submission_rate",
        _("Work log submission rate"),
        _log_submission_rate,
        unit="%",
        empty=None,
        help=_(
            "Share of the working days of the period (from his hire date, days whose log is already due) "
            "with a daily work log handed in, in percent."
        ),
    )
)
register(
    Source(
        "performance_total",
        _("Registered performance"),
        _performance_total,
        params={"item": ITEM},
        help=_(
            "Total of the daily performance registrations in the period: of one performance item, or "
            "(item empty) of all items."
        ),
    )
)
register(
    Source(
        "training_credits",
        _("Training credits"),
        _training_credits,
        unit="分",
        help=_("Credits of the training sessions held in the period that he attended."),
    )
)
