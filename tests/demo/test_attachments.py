"""The demo's attachments: a few generated files on clients, visits and a quality ticket, uploaded
through the service (checked, stored, audited), so `make run` shows the panels filled."""

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from amdesk.attachments.models import Attachment
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.demo.attachments import build_attachments
from amdesk.demo.builder import DemoBuilder
from tests.clients.factories import make_client
from tests.service.factories import open_ticket
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db


def test_the_demo_attaches_generated_files_through_the_service(account_manager):
    import random

    assert "attachments" in [label for label, _step in DemoBuilder(industry="bank").steps()]
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client)
    ticket = open_ticket(account_manager, client, ticket_type="quality")

    made = build_attachments(rng=random.Random(1), today=timezone.localdate())

    assert made == Attachment.objects.count() == 4
    assert set(
        Attachment.objects.filter(client=client, target_kind="client").values_list(
            "category__code", flat=True
        )
    ) == {
        "id_copy",
        "deposit_slip",
    }
    assert Attachment.objects.get(visit=visit).category.code == "onsite_photo"
    assert Attachment.objects.get(ticket=ticket).content_type == "application/pdf"
    for attachment in Attachment.objects.all():
        assert storages["attachments"].size(attachment.storage_key) == attachment.size
        assert attachment.uploaded_at <= timezone.now()
    assert AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_UPLOADED).count() == 4
