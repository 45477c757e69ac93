"""Free text is capped (core.limits.TEXT_MAX) with a clear error, whatever the way in: the API, the
page forms (whose textareas say the limit) and the services under both."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from amdesk.core.fields import NoteField
from amdesk.core.limits import TEXT_MAX
from tests.clients.factories import make_client
from tests.service.factories import open_ticket

# Not written by a person: drawn signatures (data URLs), what a refused sign-in sent, the import's
# staged cells.
NOT_FREE_TEXT = {
    "visits.Visit.signature",
    "service.Ticket.form_signature",
    "service.Ticket.receipt_signature",
    "accounts.LockedAccount.get_data",
    "accounts.LockedAccount.post_data",
}


@pytest.fixture
def mine(account_manager):
    return make_client(account_manager, "王小明")


def test_the_api_refuses_a_note_past_the_limit(api_for, account_manager, mine):
    response = api_for(account_manager).patch(
        f"/api/v1/clients/{mine.pk}/",
        {"remarks": "长" * (TEXT_MAX + 1), "version": mine.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    [message] = response.json()["fields"]["remarks"]
    assert str(TEXT_MAX) in message and "字符" in message
    ok = api_for(account_manager).patch(
        f"/api/v1/clients/{mine.pk}/", {"remarks": "长" * TEXT_MAX, "version": mine.version}, format="json"
    )
    assert ok.status_code == 200


def test_a_service_refuses_it_whoever_calls(account_manager, mine):
    with pytest.raises(ValidationError) as refused:
        open_ticket(account_manager, mine, description="长" * (TEXT_MAX + 1))
    assert "description" in refused.value.message_dict


def test_the_page_form_says_the_limit(client_for, account_manager, mine):
    page = client_for(account_manager).get(f"/clients/{mine.pk}/edit/")
    assert f'maxlength="{TEXT_MAX}"' in page.content.decode()


def test_every_free_text_field_is_capped():
    uncapped = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("amdesk.") and not model._meta.label.startswith("clients.Import")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and not isinstance(field, NoteField)
        and f"{model._meta.label}.{field.name}" not in NOT_FREE_TEXT
    ]
    assert uncapped == []


def test_a_reason_past_the_name_limit_is_refused(supervisor, admin, team2_manager, mine):
    """Reasons go to the ownership history (200 characters) and the audit log: a longer one was a 500
    on PostgreSQL, and unbounded in the audit entry."""
    from amdesk.clients.services import client_handover, client_reveal
    from amdesk.core.limits import NAME_MAX

    too_long = "长" * (NAME_MAX + 1)
    with pytest.raises(ValidationError) as refused:
        client_handover(actor=supervisor, client_ids=[mine.pk], to_staff=team2_manager, reason=too_long)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        client_reveal(actor=admin, client_id=mine.pk, field="mobile", reason=too_long)
    assert "reason" in refused.value.message_dict
