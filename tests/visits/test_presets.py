"""Presets: each industry brings its own visit norms, checklist and post-loan settings."""

import pytest

from amdesk.clients.models import ClientTier
from amdesk.presets import available_presets, load_preset, preset_apply
from amdesk.visits.models import ChecklistItem, VisitNorm, VisitSettings


def _active_codes(purpose: str) -> set[str]:
    return set(ChecklistItem.objects.filter(purpose=purpose, is_active=True).values_list("code", flat=True))


def _snapshot():
    return (
        list(VisitNorm.objects.order_by("id").values()),
        list(ChecklistItem.objects.order_by("id").values()),
        list(VisitSettings.objects.order_by("id").values()),
    )


def test_the_bank_visits_by_tier_and_lifecycle(preset):
    intervals = {
        (norm.tier.code if norm.tier else "", norm.lifecycle): norm.interval_days
        for norm in VisitNorm.objects.filter(is_active=True).select_related("tier")
    }
    assert intervals == {("key", ""): 7, ("ordinary", ""): 14, ("", "prospect"): 30, ("", "lost"): None}
    assert _active_codes("visit") == {"bank-products", "bank-needs", "bank-financial-plan", "bank-documents"}
    assert VisitSettings.current().inspected_product_lines == ["loan"]


def test_the_bank_has_the_post_loan_risk_signals(preset):
    signals = ChecklistItem.objects.filter(purpose=ChecklistItem.Purpose.RISK_SIGNAL, is_active=True)
    assert {signal.name for signal in signals} == {
        "资金挪用",
        "经营下滑",
        "涉诉或被执行",
        "关联方风险",
        "抵押物贬值",
        "逾期或欠息",
    }
    assert all(signal.name_en for signal in signals)


def test_switching_to_tobacco_replaces_the_bank_lists(preset):
    # Given the bank preset (the fixture), when the tobacco preset is applied over it
    preset_apply(actor=None, code="tobacco")

    # then only tobacco's checklist is offered; the bank's items stay, inactive, for old records
    assert _active_codes("visit") == {
        "tobacco-company-info",
        "tobacco-market-info",
        "tobacco-stock",
        "tobacco-display",
        "tobacco-lawful-trading",
        "tobacco-min-price",
    }
    assert not ChecklistItem.objects.filter(code__startswith="bank-", is_active=True).exists()
    assert ChecklistItem.objects.filter(code="bank-products", is_active=False).exists()
    # and tobacco's norms replace the bank's: key retailers weekly, the lowest grades monthly
    active = {norm.name: norm for norm in VisitNorm.objects.filter(is_active=True)}
    assert set(active) == {norm[0] for norm in load_preset("tobacco")["visit_norms"]}
    assert active["重点零售户每周"].interval_days == 7
    assert active["一级零售户每月"].grade.name == "一级" and active["一级零售户每月"].interval_days == 30
    # and the retailers' tiers are tobacco's names for the same two codes
    assert list(ClientTier.objects.filter(is_active=True).values_list("code", "name")) == [
        ("key", "重点零售户"),
        ("ordinary", "一般零售户"),
    ]
    assert not VisitNorm.objects.get(name="潜在客户每月").is_active
    # and no product line of a retailer gets post-loan inspections
    assert VisitSettings.current().inspected_product_lines == []


def test_applying_a_preset_twice_changes_nothing(preset):
    before = _snapshot()
    preset_apply(actor=None, code="bank")
    assert _snapshot() == before


def test_switching_back_reactivates_the_bank_lists(preset):
    preset_apply(actor=None, code="tobacco")
    preset_apply(actor=None, code="bank")
    assert "bank-products" in _active_codes("visit")
    assert not _active_codes("visit") & {"tobacco-stock"}
    assert VisitNorm.objects.get(name="潜在客户每月").is_active
    assert VisitSettings.current().inspected_product_lines == ["loan"]


def test_checklist_codes_are_unique_across_industries():
    codes = [item[0] for code in available_presets() for item in load_preset(code)["visit_checklist"]]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("code", available_presets())
def test_every_preset_brings_valid_visit_reference_data(db, code):
    preset_apply(actor=None, code=code)
    norms = VisitNorm.objects.filter(is_active=True)
    assert norms.exists()
    for norm in norms:
        norm.full_clean()
    # Key clients always have a regular visit and lost clients never do.
    assert norms.get(tier__code="key", lifecycle="", grade=None, vip_level=None).interval_days
    assert norms.get(lifecycle="lost").interval_days is None
    items = ChecklistItem.objects.filter(is_active=True)
    assert items.filter(purpose=ChecklistItem.Purpose.VISIT).count() >= 4
    for item in items:
        item.full_clean()
