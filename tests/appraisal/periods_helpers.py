"""Builders for the period tests: a scheme version made directly with the models (weights set by
hand), manual values, and a run at a fixed day."""

from datetime import date
from decimal import Decimal

from amdesk.appraisal.models import (
    AppraisalPeriod,
    Criterion,
    Dimension,
    Indicator,
    ManualValue,
    Scheme,
    SchemeIndicator,
    SchemeVersion,
)
from amdesk.orgs.models import Role

MAY = date(2026, 5, 1)
MAY_END = date(2026, 5, 31)


def indicator(
    code: str, *, source: str = "manual", higher_is_better: bool = True, unit: str = "分"
) -> Indicator:
    dimension, _ = Dimension.objects.get_or_create(code="test-dim", defaults={"name": "测试维度"})
    return Indicator.objects.create(
        code=code,
        name=f"指标{code}",
        dimension=dimension,
        source=source,
        unit=unit,
        higher_is_better=higher_is_better,
    )


def scheme_with(
    lines, *, code: str = "s1", kind: str = "month", org_node=None, roles=("account_manager",)
) -> Scheme:
    """lines: (indicator, criterion name, criterion weight, indicator weight, point mode kwargs)."""
    scheme = Scheme.objects.create(code=code, name=f"方案{code}", period_kind=kind, org_node=org_node)
    scheme.roles.set(Role.objects.filter(code__in=roles))
    version = SchemeVersion.objects.create(scheme=scheme, number=1, state=SchemeVersion.State.ACTIVE)
    criteria = {}
    for order, (item, criterion, c_weight, weight, points) in enumerate(lines):
        if criterion not in criteria:
            criteria[criterion] = Criterion.objects.create(
                version=version, name=criterion, weight=c_weight, order=len(criteria)
            )
        SchemeIndicator.objects.create(
            criterion=criteria[criterion], indicator=item, order=order, weight=weight, **(points or {})
        )
    return scheme


def fixed(low, high) -> dict:
    return {"point_mode": "fixed", "low": Decimal(str(low)), "high": Decimal(str(high))}


def manual(item: Indicator, person, value, start: date = MAY, end: date = MAY_END) -> ManualValue:
    return ManualValue.objects.create(
        indicator=item, staff=person, period_start=start, period_end=end, value=Decimal(str(value))
    )


def open_period(scheme: Scheme, start: date = MAY) -> AppraisalPeriod:
    from amdesk.appraisal.services.runs import period_open

    return period_open(actor=None, scheme=scheme, start=start)


def computed_may(actor, people_values: dict, *, april: dict | None = None):
    """A two-indicator scheme (sales 0.6 on 0–100, complaints 0.4 on 0–10, lower better), May run
    with people_values {person: (sales, complaints)} and, when given, April before it."""
    from amdesk.appraisal.services.runs import period_open, period_run

    sales = indicator("sales")
    complaints = indicator("complaints", higher_is_better=False)
    scheme = scheme_with(
        [(sales, "业绩", 0.6, 1.0, fixed(0, 100)), (complaints, "服务", 0.4, 1.0, fixed(0, 10))]
    )
    if april:
        start, end = date(2026, 4, 1), date(2026, 4, 30)
        for person, (s, c) in april.items():
            manual(sales, person, s, start, end)
            manual(complaints, person, c, start, end)
        period_run(actor=actor, period=period_open(actor=actor, scheme=scheme, start=start))
    for person, (s, c) in people_values.items():
        if s is not None:
            manual(sales, person, s)
        if c is not None:
            manual(complaints, person, c)
    return period_run(actor=actor, period=period_open(actor=actor, scheme=scheme, start=MAY))
