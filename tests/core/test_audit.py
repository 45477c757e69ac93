"""The audit log is append-only for every application user and at the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AppendOnlyError, AuditEntry


@pytest.fixture
def entry(db):
    return audit_record(event=AuditEvent.LOGIN_FAILED, username="someone", result="failure")


def test_entries_cannot_be_changed_or_deleted_through_the_model(entry):
    entry.result = "success"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_database_refuses_updates(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(result="success")
    assert AuditEntry.objects.get(pk=entry.pk).result == "failure"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps DELETE open: the test runner's flush empties tables with DELETE there",
)
def test_the_database_refuses_deletes_on_postgresql(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_admins_cannot_edit_or_delete_entries_in_the_admin(entry, admin, client_for):
    client = client_for(admin)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code in (200, 403)
    response = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"result": "success"})
    assert response.status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).result == "failure"


def test_address_behind_a_trusted_proxy(db, rf, settings):
    settings.AMDESK_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40", REMOTE_ADDR="127.0.0.1")
    assert audit_record(event=AuditEvent.LOGIN, request=request).ip == "10.20.30.40"
    settings.AMDESK_TRUSTED_PROXY_COUNT = 0
    assert audit_record(event=AuditEvent.LOGIN, request=request).ip == "127.0.0.1"
