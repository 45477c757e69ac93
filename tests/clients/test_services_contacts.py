"""Contacts and the stakeholder map of big accounts: the flag follows contacts and the settings."""

import pytest
from django.core.exceptions import ValidationError

from amdesk.clients.models import Client, ClientSettings, Contact
from amdesk.clients.services import (
    StaleEdit,
    client_update,
    contact_delete,
    contact_save,
    stakeholder_refresh,
)
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client, make_contact, make_corporate


def flagged(client) -> bool:
    client.refresh_from_db()
    return client.stakeholder_gap


@pytest.fixture
def big_account(account_manager):
    client = make_corporate(account_manager)
    return client_update(
        actor=account_manager, client=client, data={"is_big_account": True}, expected_version=client.version
    )


def test_a_big_account_without_contacts_is_flagged(big_account):
    assert flagged(big_account)


def test_an_ordinary_client_is_never_flagged(account_manager):
    client = make_corporate(account_manager)
    assert not flagged(client)
    make_contact(client, name="王总")
    assert not flagged(client)


def test_the_flag_clears_with_enough_contacts_and_a_decision_maker(big_account):
    # Given three contacts, none of them deciding
    first = make_contact(big_account, name="王总", role="财务总监")
    make_contact(big_account, name="李经理", role="采购经理")
    make_contact(big_account, name="张会计", role="会计")
    # Then the map is still incomplete
    assert flagged(big_account)
    # When one of them is marked as the decision maker
    contact_save(
        actor=big_account.owner,
        client=big_account,
        contact=first,
        data={"is_decision_maker": True},
        expected_version=first.version,
    )
    # Then the flag clears
    assert not flagged(big_account)
    # And removing a contact brings it back (two contacts are too few)
    contact_delete(actor=big_account.owner, contact=Contact.objects.get(name="张会计"))
    assert flagged(big_account)


def test_a_decision_maker_alone_is_not_enough(big_account):
    make_contact(big_account, name="王总", is_decision_maker=True)
    make_contact(big_account, name="李经理")
    assert flagged(big_account)


def test_the_number_of_contacts_comes_from_the_settings(big_account):
    make_contact(big_account, name="王总", is_decision_maker=True)
    make_contact(big_account, name="李经理")
    make_contact(big_account, name="张会计")
    assert not flagged(big_account)
    # When the business asks for four contacts
    settings = ClientSettings.current()
    settings.big_account_min_contacts = 4
    settings.save()
    assert stakeholder_refresh(Client.objects.all()) == 1
    # Then the account is flagged again, and two are enough once the setting is lowered
    assert flagged(big_account)
    settings.big_account_min_contacts = 2
    settings.save()
    stakeholder_refresh(Client.objects.all())
    assert not flagged(big_account)


def test_no_longer_a_big_account_clears_the_flag(big_account):
    assert flagged(big_account)
    big_account.refresh_from_db()
    client_update(
        actor=big_account.owner,
        client=big_account,
        data={"is_big_account": False},
        expected_version=big_account.version,
    )
    assert not flagged(big_account)


def test_a_stale_contact_edit_is_refused(account_manager, supervisor):
    client = make_client(account_manager)
    contact = make_contact(client, name="王总", remarks="喜欢喝茶")
    opened = Contact.objects.get(pk=contact.pk)
    contact_save(
        actor=supervisor, client=client, contact=contact, data={"remarks": "喜欢打球"}, expected_version=1
    )
    with pytest.raises(StaleEdit):
        contact_save(
            actor=account_manager,
            client=client,
            contact=opened,
            data={"remarks": "喜欢钓鱼"},
            expected_version=1,
        )
    # without an expected version the save is still checked against the version it read
    with pytest.raises(StaleEdit):
        contact_save(actor=account_manager, client=client, contact=opened, data={"remarks": "喜欢钓鱼"})
    contact.refresh_from_db()
    assert contact.remarks == "喜欢打球" and contact.version == 2


def test_a_contact_mobile_is_normalised_and_validated(account_manager):
    client = make_client(account_manager)
    contact = make_contact(client, mobile="+86 138 1234 5678")
    assert contact.mobile == "13812345678"
    with pytest.raises(ValidationError) as error:
        make_contact(client, name="李四", mobile="12345")
    assert "mobile" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_contact(client, name="", role="", mobile="12345")
    assert {"name", "role", "mobile"} <= error.value.message_dict.keys()
    assert Contact.objects.count() == 1


def test_a_contact_cannot_be_moved_to_another_client(account_manager):
    client = make_client(account_manager)
    other = make_client(account_manager, "李四")
    contact = make_contact(client)
    with pytest.raises(ValidationError):
        contact_save(actor=account_manager, client=other, contact=contact, data={"name": "x"})


def test_contact_changes_are_audited(account_manager):
    client = make_client(account_manager)
    contact = make_contact(client)
    contact_save(actor=account_manager, client=client, contact=contact, data={"stance": "supportive"})
    contact_delete(actor=account_manager, contact=contact)
    actions = list(
        AuditEntry.objects.filter(event=AuditEvent.CLIENT_CONTACT_CHANGED)
        .order_by("id")
        .values_list("detail__action", flat=True)
    )
    assert actions == ["added", "changed", "removed"]
    assert not Contact.objects.exists()


def test_a_stale_delete_is_refused(account_manager):
    client = make_client(account_manager)
    contact = make_contact(client)
    contact_save(actor=account_manager, client=client, contact=contact, data={"remarks": "新"})
    with pytest.raises(StaleEdit):
        contact_delete(actor=account_manager, contact=contact, expected_version=1)
    assert Contact.objects.filter(pk=contact.pk).exists()
    contact_delete(actor=account_manager, contact=contact, expected_version=2)
    assert not Contact.objects.filter(pk=contact.pk).exists()
