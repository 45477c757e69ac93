"""Archive completeness 客户档案完备率 follows the ArchiveRequirement configuration."""

import pytest

from amdesk.clients.completeness import CHECKS, completeness_refresh, field_label, missing_fields
from amdesk.clients.models import ArchiveRequirement, Client, ClientSettings, VipLevel
from amdesk.clients.selectors import completeness_rates
from amdesk.clients.services import client_update
from tests.clients.factories import grade, make_client, make_contact, make_corporate


def percent(client) -> int:
    client.refresh_from_db()
    return client.completeness


def labels(*codes) -> list[str]:
    return [field_label(code) for code in codes]


def require(field: str, applies_to: str = "all", order: int = 100) -> ArchiveRequirement:
    requirement, _created = ArchiveRequirement.objects.update_or_create(
        field=field, applies_to=applies_to, defaults={"order": order, "is_active": True}
    )
    return requirement


def test_the_preset_requirements_for_an_individual(account_manager):
    # The bank preset asks individuals for: name, mobile, address, VIP level, grade, ID number,
    # occupation and birth date. A new client has name, mobile, ID and (from the ID) birth date.
    client = make_client(account_manager)
    assert percent(client) == 50
    assert missing_fields(client) == labels("address", "vip_level", "grade", "occupation")


def test_filling_in_fields_raises_the_percentage(account_manager):
    client = make_client(account_manager)
    updated = client_update(
        actor=account_manager,
        client=client,
        data={
            "address": "文三路 1 号",
            "grade": grade(3),
            "vip_level": VipLevel.objects.get(code="vip-gold"),
        },
        expected_version=1,
    )
    assert updated.completeness == 87  # 7 of 8, rounded down
    assert missing_fields(updated) == labels("occupation")
    updated = client_update(
        actor=account_manager, client=updated, data={"occupation": "教师"}, expected_version=2
    )
    assert updated.completeness == 100 and missing_fields(updated) == []


def test_changing_the_configuration_changes_the_percentage_after_a_refresh(account_manager):
    client = make_client(account_manager)
    assert percent(client) == 50
    # When the business stops asking for the address and the occupation
    ArchiveRequirement.objects.filter(field__in=["address", "occupation"]).update(is_active=False)
    # Then the stored percentage changes once recomputed: 4 of 6
    assert percent(client) == 50
    assert completeness_refresh(Client.objects.all()) == 1
    assert percent(client) == 66
    assert missing_fields(client) == labels("vip_level", "grade")
    # And asking for tags as well lowers it: 4 of 7
    require("tags")
    completeness_refresh(Client.objects.all())
    assert percent(client) == 57
    assert missing_fields(client)[-1] == field_label("tags")


def test_corporate_requirements_do_not_count_for_individuals(account_manager):
    person = make_client(account_manager)
    company = make_corporate(account_manager)
    # corporates: name, mobile, address, VIP level, grade, credit code, industry, legal rep., contacts
    assert percent(company) == 22  # name and mobile: 2 of 9
    assert missing_fields(company) == labels(
        "address", "vip_level", "grade", "credit_code", "industry", "legal_representative", "contacts"
    )
    require("size", "corporate")
    require("source", "individual")
    completeness_refresh(Client.objects.all())
    assert percent(person) == 44  # 4 of 9: the corporate "size" is not asked of him
    assert percent(company) == 20  # 2 of 10: nor is the individual "source" asked of it
    assert field_label("size") not in missing_fields(person)
    assert field_label("source") not in missing_fields(company)
    make_contact(company, name="王总")
    assert percent(company) == 30


def test_related_checks(account_manager):
    ArchiveRequirement.objects.update(is_active=False)
    for field in ["tags", "contacts", "holdings", "credit_rating"]:
        require(field)
    client = make_client(account_manager, tags=["代发工资"])
    assert percent(client) == 25
    assert missing_fields(client) == labels("contacts", "holdings", "credit_rating")


def test_no_requirement_means_complete(account_manager):
    ArchiveRequirement.objects.update(is_active=False)
    client = make_client(account_manager, mobile="")
    assert percent(client) == 100 and missing_fields(client) == []
    # a requirement only for corporates leaves individuals complete
    require("industry", "corporate")
    completeness_refresh(Client.objects.all())
    assert percent(client) == 100


@pytest.mark.parametrize("field", sorted(CHECKS))
def test_every_check_runs_on_the_database(account_manager, field):
    ArchiveRequirement.objects.update(is_active=False)
    require(field)
    client = make_client(account_manager)
    assert percent(client) in (0, 100)
    assert (missing_fields(client) == []) == (percent(client) == 100)


def test_rates_by_owner_and_org_in_scope(
    account_manager, team2_manager, other_manager, supervisor, branch_head
):
    ArchiveRequirement.objects.update(is_active=False)
    require("address")
    make_client(account_manager, address="文三路 1 号")
    make_client(account_manager)
    make_client(team2_manager, address="黄龙路 9 号")
    make_client(other_manager)
    lost = make_client(account_manager)
    Client.objects.filter(pk=lost.pk).update(lifecycle=Client.Lifecycle.LOST)

    rows = {row.key: row for row in completeness_rates(viewer=supervisor, by="owner")}

    assert set(rows) == {account_manager.employee_no, team2_manager.employee_no}
    mine = rows[account_manager.employee_no]
    assert (mine.clients, mine.complete, mine.average, mine.rate) == (2, 1, 50.0, 50.0)
    assert rows[team2_manager.employee_no].rate == 100.0
    by_org = {
        row.key: (row.clients, row.complete) for row in completeness_rates(viewer=branch_head, by="org")
    }
    assert by_org == {"TM1": (2, 1), "TM2": (1, 1), "TM3": (1, 0)}
    assert [row.key for row in completeness_rates(viewer=account_manager)] == [account_manager.employee_no]
    # "complete" is a setting
    settings = ClientSettings.current()
    settings.complete_at_percent = 1
    settings.save()
    assert completeness_rates(viewer=supervisor)[0].complete == 1
