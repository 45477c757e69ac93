import pytest
from django.core.management import call_command
from django.db import transaction

from amdesk.demo.builder import DemoBuilder
from amdesk.demo.imports import CLEAN_ROWS
from amdesk.orgs.models import OrgLevel, OrgNode, Role, Staff
from amdesk.presets import available_presets, load_preset

DEMO_USERS = {"admin", "head1", "sup1", "sup2", "pm1", "risk1", "desk1", "hr1"} | {
    f"am{n:02d}" for n in range(1, 13)
}


@pytest.mark.parametrize("industry", ["bank", "brokerage", "insurance", "tobacco", "telecom", "property"])
def test_demo_builds_each_industry(db, industry):
    DemoBuilder(industry=industry, seed=7).run()
    preset = load_preset(industry)
    assert set(Staff.objects.values_list("username", flat=True)) == DEMO_USERS
    # one head office, a branch, 2 sub-branches, 4 outlets, 3 teams
    assert [OrgNode.objects.filter(depth=d).count() for d in range(5)] == [1, 1, 2, 4, 3]
    # the vocabulary is the industry's
    assert list(OrgLevel.objects.values_list("name", flat=True)) == [
        name for name, _en in preset["org_levels"]
    ]
    assert OrgNode.objects.get(depth=1).name == preset["demo"]["branch"]
    assert Role.objects.get(code="supervisor").name == preset["role_names"]["supervisor"][0]


def test_the_same_seed_gives_the_same_people(db):
    with transaction.atomic():
        first = [
            (login.username, login.full_name) for login in DemoBuilder(industry="bank", seed=3).run().logins
        ]
        transaction.set_rollback(True)
    second = [
        (login.username, login.full_name) for login in DemoBuilder(industry="bank", seed=3).run().logins
    ]
    assert second == first
    assert len({name for _username, name in first}) > 10  # realistic: not one name repeated


def test_demo_scopes_match_the_story(db):
    DemoBuilder(industry="bank", seed=1).run()
    from amdesk.orgs.selectors import staff_list

    def seen_by(username):
        return set(staff_list(viewer=Staff.objects.get(username=username)).values_list("username", flat=True))

    assert seen_by("am01") == {"am01"}
    assert seen_by("sup1") >= {f"am{n:02d}" for n in range(1, 9)}
    assert not seen_by("sup1") & {"am09", "am10", "am11", "am12"}
    assert seen_by("head1") >= {f"am{n:02d}" for n in range(1, 13)}
    am = Staff.objects.get(username="am01")
    assert am.grade is not None and am.grade_history.filter(grade__code="specialist").exists()


def test_demo_logs_in_with_the_demo_password(db, client, settings):
    DemoBuilder(industry="bank", seed=1).run()
    response = client.post(
        "/accounts/login/", {"username": "am01", "password": settings.AMDESK_DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_command_loads_once_and_lists_logins(db, capsys):
    call_command("demo", "--if-empty", "--no-progress")
    call_command("demo", "--if-empty", "--no-progress")
    out = capsys.readouterr().out
    assert Staff.objects.filter(username="am01").count() == 1
    assert out.count("am01") == 2 and "amdesk-demo" in out


def test_every_preset_file_is_complete():
    for code in available_presets():
        preset = load_preset(code)
        assert len(preset["org_levels"]) == 5, code
        assert len(preset["ladder"]) == 10, code
        assert preset["product_lines"] and preset["vip_levels"], code
        assert len(preset["demo"]["sub_branches"]) == 2 and len(preset["demo"]["teams"]) == 3, code


def test_preset_command_switches_the_vocabulary(db, capsys):
    call_command("preset", "bank")
    call_command("preset", "tobacco")
    assert list(OrgLevel.objects.values_list("name", flat=True))[-1] == "客户经理组"
    assert Role.objects.get(code="supervisor").name == "区域市场经理"
    from amdesk.clients.models import VipLevel

    # The bank's grades stay for history but are no longer offered
    assert not VipLevel.objects.get(code="vip-gold").is_active
    assert VipLevel.objects.filter(is_active=True).count() == 5


def test_demo_clients_are_valid_spread_and_scoped(db):
    from amdesk.clients.identity import parse_resident_id
    from amdesk.clients.models import Client
    from amdesk.clients.selectors import client_list

    DemoBuilder(industry="bank", seed=5, clients=300).run()
    assert Client.objects.count() == 300 + CLEAN_ROWS  # and the demo's imported fair list
    # every account manager has clients, and their archive node is his team
    for manager in Staff.objects.filter(roles__code="account_manager"):
        owned = Client.objects.filter(owner=manager)
        assert owned.exists() and not owned.exclude(org_node=manager.org_node).exists()
    for client in Client.objects.exclude(id_number="")[:50]:
        assert parse_resident_id(client.id_number).birth_date == client.birth_date
    assert Client.objects.filter(mobile="").exists()  # some archives are incomplete
    am01 = Staff.objects.get(username="am01")
    assert set(client_list(viewer=am01).values_list("owner__username", flat=True)) == {"am01"}
    # search finds a demo client by its name's first two characters
    sample = Client.objects.filter(kind="individual").first()
    assert sample in client_list(
        viewer=am01 if sample.owner == am01 else sample.owner, filters={"q": sample.name[:2]}
    )


def test_command_shows_progress_and_loads_clients_with_values(db, capsys):
    from amdesk.clients.models import AumSnapshot, Client, Holding

    call_command("demo", "--clients", "200", "--seed", "4")
    err = capsys.readouterr().err
    # the step bar and the client bar both ran to the end
    assert "200/200" in err and "figures" in err
    assert Client.objects.count() == 200 + CLEAN_ROWS
    assert Holding.objects.exists() and AumSnapshot.objects.exists()
