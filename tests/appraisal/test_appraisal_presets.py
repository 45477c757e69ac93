"""Appraisal presets: every industry applies, twice changes nothing, every indicator validates."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from amdesk.appraisal.models import (
    Dimension,
    DiscModel,
    GradeAllowance,
    Indicator,
    LadderRule,
    PayBand,
    SellingShareDefault,
    StaffingRatio,
)
from amdesk.appraisal.presets import load_appraisal_preset
from amdesk.appraisal.sources import validate_source
from amdesk.presets import available_presets, preset_apply

MODELS = (
    Dimension,
    Indicator,
    LadderRule,
    GradeAllowance,
    PayBand,
    DiscModel,
    StaffingRatio,
    SellingShareDefault,
)


def _snapshot() -> dict:
    return {model.__name__: sorted(map(str, map(model_to_dict, model.objects.all()))) for model in MODELS}


def test_every_industry_has_an_appraisal_file():
    assert set(available_presets()) == {"bank", "brokerage", "insurance", "tobacco", "telecom", "property"}
    for code in available_presets():
        own = {item["code"] for item in load_appraisal_preset(code)["indicators"]}
        common = {item["code"] for item in load_appraisal_preset("common")["indicators"]}
        assert own - common, code


@pytest.mark.parametrize("code", ["bank", "brokerage", "insurance", "tobacco", "telecom", "property"])
def test_preset_applies_idempotently_with_valid_sources(db, code):
    preset_apply(actor=None, code=code)
    first = _snapshot()
    preset_apply(actor=None, code=code)
    assert _snapshot() == first
    active = Indicator.objects.filter(is_active=True)
    assert set(active.values_list("code", flat=True)) == {
        item["code"] for item in load_appraisal_preset(code)["indicators"]
    }
    for indicator in active:
        validate_source(indicator.source, indicator.params)
        indicator.full_clean()


def test_another_industry_deactivates_not_deletes(db):
    preset_apply(actor=None, code="bank")
    preset_apply(actor=None, code="tobacco")
    bank = Indicator.objects.get(code="bank-cross-sell")
    assert bank.is_active is False
    assert Indicator.objects.get(code="tob-brand-listing").is_active
    assert Indicator.objects.get(code="target-completion").is_active  # common to both
    # Tobacco has no team-selling shares or staffing ratios of its own.
    assert not SellingShareDefault.objects.exists()
    assert not StaffingRatio.objects.exists()
    assert DiscModel.objects.get(name="银行A客户经理岗位模型").is_active is False


def test_bank_library_and_reference_data(preset):
    cross = Indicator.objects.get(code="bank-cross-sell")
    assert (cross.dimension.code, cross.source, cross.params) == (
        "product",
        "cross_sell_rate",
        {"min_lines": 2},
    )
    assert Indicator.objects.get(code="bank-valid-complaints").higher_is_better is False
    assert Indicator.objects.get(code="bank-market-share").is_manual
    for dimension in ("acquire", "retain", "grow"):
        assert Indicator.objects.filter(dimension__code=dimension, code__startswith="bank-").count() >= 3
    model = DiscModel.objects.get(role__code="account_manager")
    assert (model.name, model.scores) == ("银行A客户经理岗位模型", {"D": 32, "I": 72, "S": 46, "C": 57})
    ratio = StaffingRatio.objects.get()
    assert (ratio.role.code, ratio.per_role.code, ratio.per_count) == (
        "product_manager",
        "account_manager",
        3,
    )
    shares = dict(SellingShareDefault.objects.values_list("role__code", "share_percent"))
    assert shares == {"account_manager": 60, "product_manager": 20, "risk_manager": 20}


def test_ladder_rules_and_pay(preset):
    rules = {rule.grade.code: rule for rule in LadderRule.objects.select_related("grade")}
    assert len(rules) == 10
    specialist = rules["specialist"]
    assert (specialist.promote_score, specialist.promote_periods, specialist.demote_below) == (60, 1, None)
    assert (
        rules["manager-2"].promote_score,
        rules["manager-2"].promote_periods,
        rules["manager-2"].demote_below,
    ) == (
        80,
        2,
        40,
    )
    assert rules["senior-3"].promote_score is None  # the top grade is not promoted
    assert GradeAllowance.objects.get(grade__code="specialist").monthly == 0
    bands = list(PayBand.objects.filter(is_active=True).order_by("min_aum"))
    assert bands[0].opening_bonus_only and bands[0].min_aum == 0
    assert [(b.min_aum, b.base_monthly, b.formal_contract) for b in bands[1:3]] == [
        (Decimal(300000), Decimal(900), False),
        (Decimal(1200000), Decimal(1200), True),
    ]
    assert [b.base_monthly for b in bands[3:]] == [1500, 1800, 2200, 3000]
