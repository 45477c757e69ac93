"""Admin: the planning settings (audited, one row), the performance items, read-only logs; the
performance items come with every industry preset."""

from datetime import time

import pytest
from django.test import Client as Browser

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import PerformanceItem, PlanningSettings, WorkLog
from amdesk.presets import available_presets, load_preset, preset_apply
from tests.planning.factories import write_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(admin):
    browser = Browser()
    browser.force_login(admin)
    return browser


def test_the_admin_pages_load(operator, account_manager):
    log = write_log(account_manager)
    item = PerformanceItem.objects.first()
    for url in [
        "/admin/planning/",
        "/admin/planning/performanceitem/",
        f"/admin/planning/performanceitem/{item.pk}/change/",
        f"/admin/planning/planningsettings/{PlanningSettings.current().pk}/change/",
        "/admin/planning/worklog/",
        f"/admin/planning/worklog/{log.pk}/change/",
        "/admin/planning/weeklyarrangement/",
        "/admin/planning/weeklysummary/",
        "/admin/planning/monthlyplan/",
        "/admin/planning/monthlysummary/",
    ]:
        assert operator.get(url).status_code == 200, url


def test_the_settings_are_one_row_and_changes_are_audited(operator, admin):
    settings = PlanningSettings.current()
    response = operator.get("/admin/planning/planningsettings/")
    assert response.status_code == 302 and response.url.endswith(f"/{settings.pk}/change/")
    assert operator.get("/admin/planning/planningsettings/add/").status_code == 403
    response = operator.post(
        f"/admin/planning/planningsettings/{settings.pk}/change/",
        {
            "log_due_time": "18:00:00",
            "missing_days": 10,
            "max_period_days": 93,
            "target_on_track_percent": 80,
            "targets_due_working_days": 3,
            "arrangement_due_offset": 1,
            "weekly_summary_due_offset": 0,
            "monthly_plan_due_working_days": 3,
            "monthly_summary_due_working_days": 3,
            "sales_report_due_day": 5,
            "sales_report_aum_drop_percent": 20,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    settings.refresh_from_db()
    assert settings.log_due_time == time(18, 0) and PlanningSettings.objects.count() == 1
    assert settings.target_on_track_percent == 80  # the on-track threshold of monthly targets
    entry = AuditEntry.objects.get(event=AuditEvent.PLANNING_SETTINGS_CHANGED, actor=admin)
    assert entry.detail["settings"] == {
        "log_due_time": "18:00:00",
        "target_on_track_percent": "80",
        "arrangement_due_offset": "1",
    }
    assert settings.arrangement_due_offset == 1  # weekly arrangements now due a working day later


def test_logs_are_read_only_in_the_admin(operator, account_manager):
    log = write_log(account_manager)
    operator.post(f"/admin/planning/worklog/{log.pk}/delete/", {"post": "yes"})
    assert WorkLog.objects.filter(pk=log.pk).exists()


def test_the_bank_registers_the_paper_forms_items(preset):
    active = list(PerformanceItem.objects.filter(is_active=True).values_list("code", "name", "unit"))
    assert active[:5] == [
        ("insurance", "保险", "万元"),
        ("online-banking", "网银", "户"),
        ("phone-banking", "电话银行", "户"),
        ("mobile-banking", "手机银行", "户"),
        ("credit-card", "信用卡", "张"),
    ]


def test_switching_industry_replaces_the_items_and_keeps_the_old_ones(preset):
    preset_apply(actor=None, code="tobacco")
    active = set(PerformanceItem.objects.filter(is_active=True).values_list("code", flat=True))
    assert "cigarette-orders" in active and "insurance" not in active
    assert PerformanceItem.objects.filter(code="insurance", is_active=False).exists()
    preset_apply(actor=None, code="bank")
    assert PerformanceItem.objects.get(code="insurance").is_active


@pytest.mark.parametrize("code", available_presets())
def test_every_preset_has_performance_items_with_units(code):
    items = load_preset(code)["performance_items"]
    assert len(items) >= 4 and len({item[0] for item in items}) == len(items)
    assert all(len(item) == 5 and item[1] and item[3] for item in items)
