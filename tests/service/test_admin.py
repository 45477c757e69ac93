"""Admin: SLA rows and the settings row (changes audited), read-only tickets and alerts."""

import pytest
from django.test import Client as Browser

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.service.models import ServiceSettings, SlaPolicy
from amdesk.service.services import ticket_sla_sweep
from tests.service.factories import open_ticket, walk


@pytest.fixture
def operator(admin):
    browser = Browser()
    browser.force_login(admin)
    return browser


def test_the_admin_pages_load(operator, account_manager, supervisor, time_machine):
    time_machine.move_to("2026-11-23 10:00 +08:00", tick=False)
    ticket = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    ticket_sla_sweep(now=ticket.resolution_due)
    policy = SlaPolicy.objects.create(ticket_type="complaint", priority="urgent", first_feedback_hours=2)
    pages = [
        "/admin/service/",
        "/admin/service/slapolicy/",
        "/admin/service/slapolicy/add/",
        f"/admin/service/slapolicy/{policy.pk}/change/",
        f"/admin/service/servicesettings/{ServiceSettings.current().pk}/change/",
        "/admin/service/ticket/",
        "/admin/service/ticket/?state=first_feedback",
        f"/admin/service/ticket/{ticket.pk}/change/",
        "/admin/service/servicealert/",
    ]
    for page in pages:
        response = operator.get(page)
        assert response.status_code == 200, page
    # The ticket page is read-only: no save button, signatures not shown.
    body = operator.get(f"/admin/service/ticket/{ticket.pk}/change/").content.decode()
    assert 'name="_save"' not in body


def test_the_settings_list_goes_to_the_one_row(operator):
    response = operator.get("/admin/service/servicesettings/")
    assert response.status_code == 302
    assert response.url.endswith(f"/admin/service/servicesettings/{ServiceSettings.current().pk}/change/")
    assert operator.get("/admin/service/servicesettings/add/").status_code == 403


def test_changing_the_settings_is_audited(operator, admin):
    settings = ServiceSettings.current()
    form = {
        "reopen_window_days": 15,
        "repeat_window_days": 45,
        "rating_link_hours": 72,
        "rating_rate_limit": 30,
        "rating_rate_window_seconds": 600,
        "first_feedback_target": 100,
        "handling_rate_target": 100,
        "satisfaction_target": 92,
        "satisfied_from": 4,
        "signature_max_kb": 200,
        "backdate_max_days": 7,
    }
    response = operator.post(f"/admin/service/servicesettings/{settings.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    settings.refresh_from_db()
    assert (settings.repeat_window_days, settings.satisfaction_target) == (45, 92)
    entry = AuditEntry.objects.get(event=AuditEvent.SERVICE_SETTINGS_CHANGED)
    assert entry.actor == admin
    assert entry.detail == {"settings": {"repeat_window_days": "45", "satisfaction_target": "92"}}


def test_changing_an_sla_row_is_audited(operator):
    form = {
        "ticket_type": "complaint",
        "priority": "urgent",
        "first_feedback_hours": 2,
        "resolution_working_days": 1,
        "warn_before_percent": 25,
        "warn_before_minutes": "",
        "is_active": "on",
    }
    assert operator.post("/admin/service/slapolicy/add/", form).status_code == 302
    policy = SlaPolicy.objects.get(ticket_type="complaint", priority="urgent")
    entry = AuditEntry.objects.get(event=AuditEvent.SERVICE_SETTINGS_CHANGED)
    assert entry.detail["sla_policy"]["id"] == policy.pk
    assert entry.detail["sla_policy"]["first_feedback_hours"] == "2"
