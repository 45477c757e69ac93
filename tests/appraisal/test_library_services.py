"""Library services: indicator_save and manual_value_set (checks, audit, stale edits)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from amdesk.appraisal.models import Dimension, Indicator, ManualValue
from amdesk.appraisal.services.library import (
    ManualEntry,
    StaleLibraryEdit,
    indicator_fingerprint,
    indicator_save,
    manual_value_set,
)
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry

JUNE = (date(2026, 6, 1), date(2026, 6, 30))


def _data(**changes):
    data = {
        "code": "my-cross-sell",
        "name": "三线交叉销售率",
        "dimension": Dimension.objects.get(code="product"),
        "unit": "%",
        "source": "cross_sell_rate",
        "params": {"min_lines": 3},
    }
    return {**data, **changes}


def test_admin_creates_an_indicator_without_code(preset, appraisal_admin):
    indicator = indicator_save(actor=appraisal_admin, data=_data())
    assert (indicator.source, indicator.params, indicator.is_active) == (
        "cross_sell_rate",
        {"min_lines": 3},
        True,
    )
    entry = AuditEntry.objects.get(event=AuditEvent.INDICATOR_CHANGED, target_id=str(indicator.pk))
    assert entry.detail["created"] is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"source": "market_share"}, "source", "未知的指标来源 market_share。"),
        ({"params": {"min_lines": "三"}}, "params", "参数 min_lines 的值类型不正确。"),
        ({"source": "manual"}, "params", "手工指标不需要参数。"),
    ],
)
def test_bad_source_or_params_refused_in_chinese(preset, appraisal_admin, changes, field, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        indicator_save(actor=appraisal_admin, data=_data(**changes))
    assert caught.value.message_dict[field] == [message]
    assert not Indicator.objects.filter(code="my-cross-sell").exists()


def test_only_the_appraisal_admin_saves(preset, supervisor):
    with pytest.raises(PermissionDenied):
        indicator_save(actor=supervisor, data=_data())


def test_stale_edit_is_refused_not_overwritten(preset, appraisal_admin, admin):
    indicator = Indicator.objects.get(code="bank-cross-sell")
    read = indicator_fingerprint(indicator)
    indicator_save(actor=admin, indicator=indicator, data={"name": "交叉销售率（新）"}, fingerprint=read)
    with pytest.raises(StaleLibraryEdit):
        indicator_save(actor=appraisal_admin, indicator=indicator, data={"unit": "个"}, fingerprint=read)
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("交叉销售率（新）", "%")


@pytest.fixture
def manual(preset):
    return Indicator.objects.get(code="bank-market-share")


def test_manual_values_record_who_and_when_and_audit(manual, appraisal_admin, account_manager, team2_manager):
    count = manual_value_set(
        actor=appraisal_admin,
        indicator=manual,
        start=JUNE[0],
        end=JUNE[1],
        entries=[
            ManualEntry(account_manager.pk, Decimal("12.5"), None),
            ManualEntry(team2_manager.pk, Decimal(8)),
        ],
        allowed_ids=[account_manager.pk, team2_manager.pk],
    )
    assert count == 2
    value = ManualValue.objects.get(staff=account_manager)
    assert (value.value, value.entered_by, value.period_end) == (Decimal("12.5"), appraisal_admin, JUNE[1])
    assert AuditEntry.objects.filter(event=AuditEvent.MANUAL_VALUE_ENTERED).count() == 2


def test_manual_value_changed_meanwhile_refuses_the_whole_save(
    manual, appraisal_admin, account_manager, team2_manager
):
    def save(*entries):
        return manual_value_set(
            actor=appraisal_admin, indicator=manual, start=JUNE[0], end=JUNE[1], entries=list(entries),
            allowed_ids=[account_manager.pk, team2_manager.pk],
        )  # fmt: skip

    save(ManualEntry(account_manager.pk, Decimal(10), None))
    # Two admins loaded the grid when the AM had 10; the first saves 11, the second's 12 is refused.
    save(ManualEntry(account_manager.pk, Decimal(11), Decimal(10)))
    with pytest.raises(StaleLibraryEdit) as caught:
        save(
            ManualEntry(account_manager.pk, Decimal(12), Decimal(10)),
            ManualEntry(team2_manager.pk, Decimal(5), None),
        )
    assert caught.value.staff_ids == [account_manager.pk]
    assert dict(ManualValue.objects.values_list("staff_id", "value")) == {account_manager.pk: Decimal(11)}
    # Clearing a value deletes it.
    save(ManualEntry(account_manager.pk, None, Decimal(11)))
    assert not ManualValue.objects.exists()


def test_manual_values_only_for_manual_indicators_and_allowed_people(
    manual, appraisal_admin, account_manager, other_manager
):
    computed = Indicator.objects.get(code="bank-aum")
    with pytest.raises(ValidationError):
        manual_value_set(
            actor=appraisal_admin, indicator=computed, start=JUNE[0], end=JUNE[1],
            entries=[ManualEntry(account_manager.pk, Decimal(1))], allowed_ids=[account_manager.pk],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        manual_value_set(
            actor=appraisal_admin, indicator=manual, start=JUNE[0], end=JUNE[1],
            entries=[ManualEntry(other_manager.pk, Decimal(1))], allowed_ids=[account_manager.pk],
        )  # fmt: skip
