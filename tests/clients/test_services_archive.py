"""Archive services: create and update with their change history, handover, reveal of an account number."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from amdesk.clients.models import Client, ClientChange, ClientGrade, ClientOwnership, VipLevel
from amdesk.clients.services import StaleEdit, client_create, client_handover, client_reveal, client_update
from amdesk.core.audit_events import AuditEvent
from amdesk.core.masking import mask
from amdesk.core.models import AuditEntry
from tests.clients.factories import grade, make_client, resident_id, set_holding, tier


def changes(client, **filters) -> dict[str, tuple[str, str]]:
    return {
        row.field: (row.old_value, row.new_value)
        for row in ClientChange.objects.filter(client=client, **filters).order_by("id")
    }


def update(client, actor, **data):
    client.refresh_from_db()
    return client_update(actor=actor, client=client, data=data, expected_version=client.version)


# Tags


def test_tags_given_on_create_are_recorded(account_manager):
    client = make_client(account_manager, tags=["高净值", " VIP ", "", "高净值"])
    assert sorted(client.tags.values_list("name", flat=True)) == ["VIP", "高净值"]
    assert changes(client) == {"tags": ("", "VIP, 高净值")}
    row = ClientChange.objects.get(client=client, field="tags")
    assert row.changed_by == account_manager and row.source == ClientChange.Source.EDIT


def test_a_client_created_without_tags_has_no_history(account_manager):
    client = make_client(account_manager)
    assert not ClientChange.objects.filter(client=client).exists()


def test_tag_changes_are_recorded_and_the_same_tags_are_no_change(account_manager):
    client = make_client(account_manager, tags=["代发工资"])
    # Given the same tags again, in another spelling: nothing changes
    same = update(client, account_manager, tags=[" 代发工资 "])
    assert same.version == 1
    assert ClientChange.objects.filter(client=client, field="tags").count() == 1
    # When the tags change
    updated = update(client, account_manager, tags=["代发工资", "房贷客户"])
    # Then the client carries them and one history row says from what to what
    assert updated.version == 2
    assert sorted(updated.tags.values_list("name", flat=True)) == ["代发工资", "房贷客户"]
    assert ClientChange.objects.filter(client=client, field="tags").first().new_value == "代发工资, 房贷客户"
    assert ClientChange.objects.filter(client=client, field="tags").first().old_value == "代发工资"
    # Removing every tag is a change too
    update(client, account_manager, tags=[])
    assert not client.tags.exists()
    assert ClientChange.objects.filter(client=client, field="tags").first().new_value == ""


def test_tags_are_shared_between_clients(account_manager):
    first = make_client(account_manager, tags=["私行"])
    second = make_client(account_manager, "李四", tags=["私行"])
    assert first.tags.get() == second.tags.get()


# Field history


def test_every_changed_field_gets_a_history_row_with_personal_data_masked(account_manager):
    client = make_client(account_manager, mobile="13812345678")
    old_id = client.id_number
    new_id = resident_id()
    gold = VipLevel.objects.get(code="vip-gold")

    updated = update(
        client,
        account_manager,
        tier=tier("key"),
        grade=grade(4),
        vip_level=gold,
        lifecycle=Client.Lifecycle.WON,
        address="文三路 1 号",
        is_big_account=True,
        mobile="139 0000 1111",
        id_number=new_id,
        remarks="",  # unchanged: no row
    )

    assert updated.version == 2
    rows = changes(client)
    assert rows["tier"] == ("ordinary", "key")
    assert rows["grade"] == ("", "4")
    assert rows["vip_level"] == ("", "vip-gold")
    assert rows["lifecycle"] == ("prospect", "won")
    assert rows["address"] == ("", "文三路 1 号")
    assert rows["is_big_account"] == ("False", "True")
    assert rows["mobile"] == ("138****5678", "139****1111")
    assert rows["id_number"] == (mask(old_id, "id_number"), mask(new_id, "id_number"))
    # the birth date follows the new ID number and is recorded as a change of its own
    assert rows["birth_date"][1] == "1985-06-15"
    assert "remarks" not in rows
    history = " ".join(f"{old} {new}" for old, new in rows.values())
    for secret in ["13812345678", "13900001111", old_id, new_id]:
        assert secret not in history
    assert set(ClientChange.objects.filter(client=client).values_list("changed_by", flat=True)) == {
        account_manager.pk
    }
    # the audit log names the fields, never their values
    entry = AuditEntry.objects.get(event=AuditEvent.CLIENT_UPDATED)
    assert "mobile" in entry.detail["fields"] and "13900001111" not in str(entry.detail)


def test_an_unchanged_save_writes_nothing(account_manager):
    client = make_client(account_manager, address="文三路 1 号")
    same = update(client, account_manager, address="文三路 1 号", tier=tier("ordinary"))
    assert same.version == 1
    assert not ClientChange.objects.filter(client=client).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.CLIENT_UPDATED).exists()


def test_a_stale_update_is_refused_and_saves_nothing(account_manager, supervisor):
    client = make_client(account_manager)
    opened_by_am = Client.objects.get(pk=client.pk)
    update(client, supervisor, address="黄龙路 9 号")
    with pytest.raises(StaleEdit):
        client_update(
            actor=account_manager,
            client=opened_by_am,
            data={"address": "文三路 1 号", "tags": ["x"]},
            expected_version=1,
        )
    client.refresh_from_db()
    assert client.address == "黄龙路 9 号" and client.version == 2
    assert not client.tags.exists()
    assert set(changes(client)) == {"address"}


def test_an_invalid_update_raises_field_errors(account_manager):
    client = make_client(account_manager)
    retired = ClientGrade.objects.create(code="9", name="九级", rank=9, is_active=False)
    with pytest.raises(ValidationError) as error:
        update(client, account_manager, mobile="123", grade=retired)
    assert {"mobile", "grade"} <= error.value.message_dict.keys()
    assert not ClientChange.objects.filter(client=client).exists()


def test_create_opens_the_ownership_and_derives_the_stored_fields(account_manager):
    client = make_client(account_manager)
    ownership = ClientOwnership.objects.get(client=client)
    assert ownership.owner == account_manager and ownership.how == ClientOwnership.How.CREATED
    assert ownership.ended_at is None
    assert client.org_node == account_manager.org_node
    assert 0 < client.completeness < 100
    with pytest.raises(ValidationError):
        client_create(actor=account_manager, owner=account_manager, data={"name": ""})


# Handover


def test_handover_writes_the_ownership_and_an_owner_history_row(account_manager, team2_manager, supervisor):
    client = make_client(account_manager)

    moved = client_handover(
        actor=supervisor, client_ids=[client.pk], to_staff=team2_manager, reason="客户经理调岗"
    )

    assert moved == 1
    client.refresh_from_db()
    assert client.owner == team2_manager and client.org_node == team2_manager.org_node
    assert client.version == 2
    old, new = ClientOwnership.objects.filter(client=client).order_by("id")
    assert old.owner == account_manager and old.ended_at is not None
    assert new.owner == team2_manager and new.ended_at is None
    assert new.how == ClientOwnership.How.HANDOVER
    assert new.reason == "客户经理调岗" and new.handed_over_by == supervisor
    row = ClientChange.objects.get(client=client, field="owner")
    assert (row.old_value, row.new_value) == (account_manager.employee_no, team2_manager.employee_no)
    assert row.source == ClientChange.Source.HANDOVER and row.changed_by == supervisor
    assert AuditEntry.objects.filter(event=AuditEvent.CLIENT_HANDED_OVER, target_id=str(client.pk)).exists()


def test_handover_to_the_current_owner_changes_nothing(account_manager, supervisor):
    client = make_client(account_manager)
    assert (
        client_handover(actor=supervisor, client_ids=[client.pk], to_staff=account_manager, reason="无变化")
        == 0
    )
    assert ClientOwnership.objects.filter(client=client).count() == 1
    assert not ClientChange.objects.filter(client=client, field="owner").exists()


def test_handover_rules(account_manager, team2_manager, other_manager, supervisor, other_supervisor):
    client = make_client(account_manager)
    with pytest.raises(PermissionDenied):
        client_handover(actor=account_manager, client_ids=[client.pk], to_staff=team2_manager, reason="x")
    with pytest.raises(ValidationError) as error:
        client_handover(actor=supervisor, client_ids=[client.pk], to_staff=team2_manager, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        client_handover(actor=supervisor, client_ids=[client.pk], to_staff=other_manager, reason="x")
    assert "to_staff" in error.value.message_dict
    # another supervisor's own team member, but the client is outside his scope
    with pytest.raises(Http404):
        client_handover(actor=other_supervisor, client_ids=[client.pk], to_staff=other_manager, reason="x")
    client.refresh_from_db()
    assert client.owner == account_manager
    assert not ClientChange.objects.filter(client=client).exists()


# Reveal


def test_an_account_number_is_revealed_with_the_log_masked(account_manager):
    client = make_client(account_manager)
    holding = set_holding(client, "demand-deposit", 1000, account_no="6222 0212 3456 7890 123")

    value = client_reveal(
        actor=account_manager, client_id=client.pk, field=f"account:{holding.pk}", reason="客户挂失"
    )

    assert value == "6222021234567890123"
    entry = AuditEntry.objects.get(event=AuditEvent.PERSONAL_DATA_REVEALED)
    assert entry.detail == {
        "field": f"account:{holding.pk}",
        "reason": "客户挂失",
        "masked": "622202*********0123",
    }
    assert "6222021234567890123" not in str(entry.detail)


def test_an_account_of_another_client_is_not_revealed(account_manager, other_manager):
    mine = make_client(account_manager)
    theirs = make_client(other_manager, "赵敏")
    holding = set_holding(theirs, "demand-deposit", 1000, account_no="6222021234567890123")
    # through my own client: that holding is not his
    with pytest.raises(Http404):
        client_reveal(actor=account_manager, client_id=mine.pk, field=f"account:{holding.pk}", reason="核实")
    # directly: the client is out of scope
    with pytest.raises(Http404):
        client_reveal(
            actor=account_manager, client_id=theirs.pk, field=f"account:{holding.pk}", reason="核实"
        )
    assert not AuditEntry.objects.filter(event=AuditEvent.PERSONAL_DATA_REVEALED).exists()


@pytest.mark.parametrize("field", ["account:", "account:x1", "name", "address"])
def test_only_personal_fields_are_revealed(account_manager, field):
    client = make_client(account_manager)
    with pytest.raises(ValidationError):
        client_reveal(actor=account_manager, client_id=client.pk, field=field, reason="核实")


def test_an_admin_may_not_reveal_an_account(account_manager, admin):
    client = make_client(account_manager)
    holding = set_holding(client, "demand-deposit", 1000, account_no="6222021234567890123")
    with pytest.raises(PermissionDenied):
        client_reveal(actor=admin, client_id=client.pk, field=f"account:{holding.pk}", reason="检查")
