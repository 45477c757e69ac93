"""Client tiers and grades are an industry's preset data: names, order, colours, key tiers, ranks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client as Browser

from amdesk.clients.models import Client, ClientGrade, ClientTier, VipLevel
from amdesk.presets import preset_apply
from tests.clients.factories import grade, make_client, tier
from tests.clients.import_files import run_import, xlsx_file


@pytest.fixture
def browser_for():
    def make(user) -> Browser:
        browser = Browser()
        browser.force_login(user)
        return browser

    return make


def test_the_bank_preset_seeds_two_tiers_and_five_grades(preset):
    assert list(ClientTier.objects.filter(is_active=True).values_list("code", "name", "is_key")) == [
        ("key", "重点客户", True),
        ("ordinary", "一般客户", False),
    ]
    assert list(ClientGrade.objects.filter(is_active=True).values_list("name", "rank")) == [
        ("一级", 1),
        ("二级", 2),
        ("三级", 3),
        ("四级", 4),
        ("五级", 5),
    ]
    # and its VIP levels no longer repeat the tier names
    assert not VipLevel.objects.filter(is_active=True, name__in=["重点客户", "一般客户"]).exists()


def test_tobacco_names_its_own_tiers_and_keeps_clients_on_them(preset, account_manager):
    # Given a key client of the bank
    client = make_client(account_manager, "王记烟酒店", tier="key", grade=4)
    # when the tobacco preset is applied
    preset_apply(actor=None, code="tobacco")
    client.refresh_from_db()
    # then the same tier is now called as tobacco calls it, and new clients get tobacco's lowest tier
    assert str(client.tier) == "重点零售户" and client.grade.name == "四级"
    assert str(make_client(account_manager, "新零售户").tier) == "一般零售户"


def test_only_grade_three_and_above_can_be_listed_for_recommendation(preset, account_manager, api_for):
    # Tobacco: only retailers of grade 3 and above may be recommended. The rule compares ranks.
    preset_apply(actor=None, code="tobacco")
    for rank in (1, 2, 3, 5):
        make_client(account_manager, f"零售户{rank}", grade=rank)
    make_client(account_manager, "未定级")

    response = api_for(account_manager).get("/api/v1/clients/", {"grade_min": 3})

    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"零售户3", "零售户5"}
    assert set(Client.objects.filter(grade__rank__gte=3).values_list("name", flat=True)) == {
        "零售户3",
        "零售户5",
    }


def test_a_renamed_tier_shows_its_new_name_and_colour_on_the_pages(preset, account_manager, browser_for):
    # Given the admin renames the key tier and gives it another colour
    ClientTier.objects.filter(code="key").update(name="贵宾重点", colour="warning")
    client = make_client(account_manager, "王小明", tier="key")
    browser = browser_for(account_manager)
    # then the list and the client page show the new name in that colour
    rows = browser.get("/clients/", {"tier": "key"}).content.decode()
    assert "王小明" in rows and 'text-bg-warning">贵宾重点<' in rows
    page = browser.get(f"/clients/{client.pk}/").content.decode()
    assert 'text-bg-warning" data-testid="client-tier">贵宾重点<' in page


def test_the_client_form_offers_the_active_tiers_in_the_preset_order(preset, account_manager, browser_for):
    ClientTier.objects.create(code="retired", name="旧分层", order=0, is_active=False)
    ClientTier.objects.create(code="strategic", name="战略客户", order=0, is_key=True)
    page = browser_for(account_manager).get("/clients/new/").content.decode()
    options = page[page.index('name="tier"') : page.index("</select>", page.index('name="tier"'))]
    assert options.index("战略客户") < options.index("重点客户") < options.index("一般客户")
    assert "旧分层" not in options
    # a new client without a tier still gets the lowest one
    assert make_client(account_manager, "新客户").tier.code == "ordinary"


def test_a_retired_tier_or_grade_is_not_newly_assigned_but_stays_on_its_clients(preset, account_manager):
    from amdesk.clients.services import client_update

    client = make_client(account_manager, "王小明", grade=2)
    ClientGrade.objects.filter(code="2").update(is_active=False)
    old = ClientTier.objects.create(code="old", name="旧分层", is_active=False)
    client.refresh_from_db()
    # the client keeps his retired grade through an unrelated edit
    client = client_update(
        actor=account_manager, client=client, data={"address": "文三路"}, expected_version=1
    )
    assert client.grade.code == "2"
    # but nobody is moved onto a retired tier
    with pytest.raises(ValidationError) as error:
        client_update(
            actor=account_manager, client=client, data={"tier": old}, expected_version=client.version
        )
    assert "tier" in error.value.message_dict


def test_the_last_active_tier_cannot_be_retired(preset):
    ClientTier.objects.filter(code="key").update(is_active=False)
    ordinary = ClientTier.objects.get(code="ordinary")
    ordinary.is_active = False
    with pytest.raises(ValidationError):
        ordinary.full_clean()


def test_import_reads_names_codes_and_aliases_of_the_preset(preset, account_manager, tmp_path):
    from tests.clients.factories import resident_id

    ClientTier.objects.filter(code="key").update(aliases="VIP重点")
    header = ["客户名称", "身份证号码", "客户分层", "客户等级"]
    rows = [
        ["甲", resident_id(), "重点客户", "三级"],
        ["乙", resident_id(), "key", "5"],
        ["丙", resident_id(), "VIP重点", "Ⅱ级"],
        ["丁", resident_id(), "", ""],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "tiers.xlsx", rows, header=header))
    assert job.state == job.State.DONE, job.state
    stored = {c.name: (c.tier.code, c.grade.rank if c.grade else None) for c in Client.objects.all()}
    assert stored == {"甲": ("key", 3), "乙": ("key", 5), "丙": ("key", 2), "丁": ("ordinary", None)}


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_clients_tiers_and_grades():
    # Given an installation from before tiers were preset data, with a key client of grade 3
    executor = MigrationExecutor(connection)
    before = [
        ("clients", "0009_imports"),
        ("visits", "0003_compliance_alert"),
        ("surveys", "0003_branch_level_shared"),
    ]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    OrgNode = apps.get_model("orgs", "OrgNode")
    Staff = apps.get_model("orgs", "Staff")
    OldClient = apps.get_model("clients", "Client")
    VisitNorm = apps.get_model("visits", "VisitNorm")
    node = OrgNode.objects.create(code="N1", name="网点", path="0001", depth=0)
    owner = Staff.objects.create(username="am", employee_no="AM1", full_name="经理", org_node=node)
    OldClient.objects.create(name="老重点", owner=owner, org_node=node, tier="key", grade=3)
    OldClient.objects.create(name="老一般", owner=owner, org_node=node, tier="ordinary")
    VisitNorm.objects.create(name="一级每月", grade=1, interval_days=30)

    # when the migrations run
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then each client is on the bank preset's row of the same meaning
    kept = {c.name: (c.tier.code, c.grade.name if c.grade else None) for c in Client.objects.all()}
    assert kept == {"老重点": ("key", "三级"), "老一般": ("ordinary", None)}
    from amdesk.visits.models import VisitNorm as Norm

    assert Norm.objects.get(name="一级每月").grade == grade(1)
    assert tier("key").is_key and not tier("ordinary").is_key
