"""Building schemes for the scheme tests: indicators of a small library and a complete scheme."""

from amdesk.appraisal.models import Dimension, Indicator
from amdesk.appraisal.services.schemes import (
    criterion_add,
    matrix_set,
    scheme_create,
    scheme_indicator_add,
    scheme_version_activate,
)
from amdesk.orgs.models import Role


def indicator(code: str, *, higher_is_better: bool = True, active: bool = True) -> Indicator:
    dimension, _ = Dimension.objects.get_or_create(code="test-dim", defaults={"name": "测试维度"})
    return Indicator.objects.create(
        code=code,
        name=f"指标{code}",
        dimension=dimension,
        source=Indicator.MANUAL,
        higher_is_better=higher_is_better,
        is_active=active,
    )


def new_scheme(actor, code: str = "bank-am", **extra):
    return scheme_create(
        actor=actor,
        code=code,
        name=extra.pop("name", "客户经理考核方案"),
        period_kind=extra.pop("period_kind", "month"),
        roles=extra.pop("roles", Role.objects.filter(code="account_manager")),
        **extra,
    )


def complete_scheme(actor, code: str = "bank-am", activate: bool = True):
    """Two criteria (获客 3:1 over 保有), two indicators under the first (2:1), one under the second."""
    scheme = new_scheme(actor, code)
    draft = scheme.versions.get()
    acquire = criterion_add(actor=actor, version=draft, name="获客")
    retain = criterion_add(actor=actor, version=draft, name="保有")
    scheme_indicator_add(actor=actor, criterion=acquire, indicator=indicator(f"{code}-new"))
    scheme_indicator_add(
        actor=actor,
        criterion=acquire,
        indicator=indicator(f"{code}-aum"),
        points={"point_mode": "fixed", "low": 0, "high": 100},
    )
    scheme_indicator_add(
        actor=actor, criterion=retain, indicator=indicator(f"{code}-churn", higher_is_better=False)
    )
    matrix_set(actor=actor, version=draft, upper=[["3"]])
    matrix_set(actor=actor, version=draft, criterion=acquire, upper=[["2"]])
    if activate:
        scheme_version_activate(actor=actor, version=draft)
    draft.refresh_from_db()
    return scheme, draft
