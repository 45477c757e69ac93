"""Admin: the visit norms and settings the business changes, and a read-only view of findings."""

from datetime import date, time

import pytest
from django.test import Client as Browser
from django.utils import timezone

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.visits.models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    Visit,
    VisitFinding,
    VisitNorm,
    VisitSettings,
)
from tests.clients.factories import make_client


@pytest.fixture
def operator(admin):
    browser = Browser()
    browser.force_login(admin)
    return browser


@pytest.fixture
def finding(account_manager):
    client = make_client(account_manager, "王小明")
    visit = Visit.objects.create(
        client=client,
        owner=account_manager,
        org_node=account_manager.org_node,
        visited_on=date(2026, 3, 2),
        started_at=timezone.now(),
    )
    ClientLocation.objects.create(client=client, area="西湖区")
    return VisitFinding.objects.create(
        visit=visit,
        client=client,
        owner=account_manager,
        org_node=account_manager.org_node,
        kind="common-suspected-fraud",
        anomaly=AnomalyKind.objects.get(code="common-suspected-fraud"),
        note="隔壁无证销售",
    )


def test_the_admin_pages_load(operator, finding):
    norm = VisitNorm.objects.first()
    item = ChecklistItem.objects.first()
    pages = [
        "/admin/visits/",
        "/admin/visits/visitnorm/",
        "/admin/visits/visitnorm/add/",
        f"/admin/visits/visitnorm/{norm.pk}/change/",
        "/admin/visits/checklistitem/",
        "/admin/visits/checklistitem/?purpose=risk_signal",
        f"/admin/visits/checklistitem/{item.pk}/change/",
        f"/admin/visits/visitsettings/{VisitSettings.current().pk}/change/",
        "/admin/visits/visitfinding/",
        "/admin/visits/visitfinding/?kind=common-suspected-fraud",
        "/admin/visits/anomalykind/",
        f"/admin/visits/anomalykind/{finding.anomaly_id}/change/",
        "/admin/visits/findingoutcome/",
        "/admin/visits/findingoutcome/add/",
        f"/admin/visits/visitfinding/{finding.pk}/change/",
        "/admin/visits/clientlocation/",
        "/admin/visits/clientlocation/add/",
    ]
    for page in pages:
        response = operator.get(page)
        assert response.status_code == 200, (page, response.content.decode()[:2000])


def test_findings_are_read_only(operator, finding):
    assert operator.get("/admin/visits/visitfinding/add/").status_code == 403
    assert operator.get(f"/admin/visits/visitfinding/{finding.pk}/delete/").status_code == 403
    response = operator.post(f"/admin/visits/visitfinding/{finding.pk}/change/", {"note": "改写"})
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.note == "隔壁无证销售"


def test_the_settings_are_one_row(operator):
    settings = VisitSettings.current()
    response = operator.get("/admin/visits/visitsettings/")
    assert response.status_code == 302
    assert response.url == f"/admin/visits/visitsettings/{settings.pk}/change/"
    assert operator.get("/admin/visits/visitsettings/add/").status_code == 403
    assert operator.get(f"/admin/visits/visitsettings/{settings.pk}/delete/").status_code == 403


def test_editing_the_settings_is_saved_and_audited(operator, admin):
    settings = VisitSettings.current()
    response = operator.post(
        f"/admin/visits/visitsettings/{settings.pk}/change/",
        {
            "workdays_per_week": 6,
            "visits_per_day": 8,
            "due_soon_days": 3,
            "compliance_alert_percent": 80,
            "remote_counts_for_norm": "on",
            "record_edit_hours": 24,
            "signature_max_kb": 200,
            "first_inspection_days": 30,
            "inspection_interval_days": 60,
            "inspected_product_lines": '["loan"]',
            "schedule_due_working_days_before": 2,
            "schedule_due_time": "17:30",
            # The page sends the shown value of a field with a callable default back with it.
            "initial-inspected_product_lines": '["loan"]',
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    settings.refresh_from_db()
    assert settings.workdays_per_week == 6 and settings.inspection_interval_days == 60
    assert (settings.schedule_due_working_days_before, settings.schedule_due_time) == (2, time(17, 30))
    assert VisitSettings.objects.count() == 1
    entry = AuditEntry.objects.get(event=AuditEvent.VISIT_SETTINGS_CHANGED, actor=admin)
    assert entry.detail["settings"] == {
        "workdays_per_week": "6",
        "inspection_interval_days": "60",
        "schedule_due_working_days_before": "2",
        "schedule_due_time": "17:30:00",
    }


def test_a_norm_interval_edit_is_saved(operator, admin):
    norm = VisitNorm.objects.get(tier__code="ordinary", is_active=True)
    response = operator.post(
        f"/admin/visits/visitnorm/{norm.pk}/change/",
        {
            "name": norm.name,
            "tier": norm.tier_id,
            "lifecycle": "",
            "grade": "",
            "vip_level": "",
            "interval_days": 10,
            "is_active": "on",
            "order": norm.order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    norm.refresh_from_db()
    assert norm.interval_days == 10 and norm.specificity == 1
    entry = AuditEntry.objects.get(event=AuditEvent.VISIT_SETTINGS_CHANGED, actor=admin)
    assert entry.detail["norm"]["interval_days"] == "10"


def test_a_norm_interval_edit_in_the_list_is_saved(operator):
    norms = list(VisitNorm.objects.order_by("order", "id"))
    form = {
        "form-TOTAL_FORMS": len(norms),
        "form-INITIAL_FORMS": len(norms),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, norm in enumerate(norms):
        form[f"form-{index}-id"] = norm.pk
        form[f"form-{index}-interval_days"] = norm.interval_days or ""
        form[f"form-{index}-order"] = norm.order
        if norm.is_active:
            form[f"form-{index}-is_active"] = "on"
    key = next(index for index, norm in enumerate(norms) if norm.tier and norm.tier.code == "key")
    form[f"form-{key}-interval_days"] = 5
    response = operator.post("/admin/visits/visitnorm/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert VisitNorm.objects.get(pk=norms[key].pk).interval_days == 5
    # Only the row that changed is saved (and audited).
    assert AuditEntry.objects.filter(event=AuditEvent.VISIT_SETTINGS_CHANGED).count() == 1
