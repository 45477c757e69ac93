"""Admin: the numbers and lists the business changes take effect on stored figures at once."""

import pytest
from django.test import Client as Browser

from amdesk.clients.models import ArchiveRequirement, ClientSettings
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client


@pytest.fixture
def operator(admin):
    browser = Browser()
    browser.force_login(admin)
    return browser


def test_changing_required_fields_recomputes_completeness(operator, account_manager):
    client = make_client(account_manager, "王小明", address="")
    before = client.completeness
    address = ArchiveRequirement.objects.get(field="address", applies_to="all")
    response = operator.post(
        f"/admin/clients/archiverequirement/{address.pk}/change/",
        {"field": "address", "applies_to": "all", "order": address.order},  # is_active unticked
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.completeness > before
    assert AuditEntry.objects.filter(event=AuditEvent.CLIENT_SETTINGS_CHANGED).exists()


def test_changing_the_contact_minimum_reflags_big_accounts(operator, account_manager):
    from amdesk.clients.services import client_update, contact_save

    client = make_client(account_manager, "杭州某科技有限公司")
    client = client_update(
        actor=account_manager, client=client, data={"is_big_account": True}, expected_version=client.version
    )
    for name in ("张总", "李总", "王总"):
        contact_save(
            actor=account_manager,
            client=client,
            data={"name": name, "role": "高管", "is_decision_maker": name == "张总"},
        )
    client.refresh_from_db()
    assert not client.stakeholder_gap
    settings = ClientSettings.current()
    response = operator.post(
        f"/admin/clients/clientsettings/{settings.pk}/change/",
        {"big_account_min_contacts": 4, "complete_at_percent": 100, "aum_chart_months": 12},
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.stakeholder_gap
