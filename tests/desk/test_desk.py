"""The desk: each role sees the cards of its own work, each with the viewer's own figures."""

import re

import pytest

from amdesk.desk.cards import CARD_CODES
from amdesk.orgs.models import Role
from amdesk.presets import load_preset
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.service.factories import make_service_desk, open_ticket
from tests.surveys.factories import make_round


def _stat(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert match, f"{testid} is not on the desk"
    return match.group(1).strip()


def _cards(page: str) -> set[str]:
    return set(re.findall(r'data-testid="([a-z-]+-card)"', page))


def test_the_desk_counts_open_tickets_for_the_owner_and_his_supervisor(
    account_manager, team2_manager, supervisor, client_for
):
    # Given two open tickets of the account manager and one of a colleague in the other team
    open_ticket(account_manager)
    open_ticket(account_manager, make_client(account_manager, name="李四"))
    open_ticket(team2_manager)
    # Then the account manager's desk counts his two, the colleague's desk his one
    assert _stat(client_for(account_manager).get("/").content.decode(), "tickets-open") == "2"
    assert _stat(client_for(team2_manager).get("/").content.decode(), "tickets-open") == "1"
    # And the supervisor, who owns none, sees the team's figures, not an empty "my tickets"
    page = client_for(supervisor).get("/").content.decode()
    assert 'data-testid="tickets-open"' not in page
    assert _stat(page, "awaiting-approval") == "0"


def test_the_desk_shows_surveys_waiting_only_to_the_clients_manager(
    admin, account_manager, team2_manager, client_for
):
    # Given an open round over key clients and a key client of the account manager
    make_client(account_manager, tier="key")
    make_round(admin)
    # Then his desk shows one client waiting for a survey, and his colleague's shows no survey card
    assert _stat(client_for(account_manager).get("/").content.decode(), "surveys-pending") == "1"
    assert 'data-testid="surveys-card"' not in client_for(team2_manager).get("/").content.decode()


def test_each_role_sees_only_the_cards_of_its_own_work(account_manager, supervisor, org, client_for):
    # An account manager: his clients, route, tickets and plans; nobody to oversee
    mine = _cards(client_for(account_manager).get("/").content.decode())
    assert {"clients-card", "visits-card", "service-card", "planning-card"} <= mine
    assert not {"team-card", "visit-reviews-card", "team-service-card", "team-planning-card"} & mine
    # A supervisor: his team's work, no route of his own (0/0) and no "my clients overdue"
    page = client_for(supervisor).get("/").content.decode()
    assert {"team-card", "visit-reviews-card", "team-service-card", "team-planning-card"} <= _cards(page)
    assert 'data-testid="route-today"' not in page and 'data-testid="clients-overdue"' not in page
    assert 'data-testid="desk-log-today"' not in page
    # The service desk: the tickets it watches, no visit schedules or work logs to approve
    page = client_for(make_service_desk(org)).get("/").content.decode()
    assert _cards(page) == {"profile-card", "sla-breaches-card", "team-service-card"}
    assert "schedules-waiting" not in page and "desk-logs-waiting" not in page


def test_which_cards_a_role_sees_is_data(account_manager, client_for):
    # Given the account manager's role shows only the clients card (an admin's edit)
    Role.objects.filter(code="account_manager").update(desk_cards=["my_clients", "no_such_card"])
    # Then his desk shows that card alone, and an unknown code does no harm
    assert _cards(client_for(account_manager).get("/").content.decode()) == {"profile-card", "clients-card"}


def test_a_person_with_two_roles_sees_both_desks(org, client_for):
    person = StaffFactory(username="both", org_node=org.tm1, roles=["account_manager", "risk_manager"])
    cards = _cards(client_for(person).get("/").content.decode())
    assert {"visits-card", "inspections-card"} <= cards


def test_every_card_the_presets_name_exists():
    for role in load_preset("bank")["roles"]:
        assert role["desk"], role["code"]
        assert set(role["desk"]) <= CARD_CODES, role["code"]


@pytest.mark.parametrize("lost", [0, 2])
def test_the_desk_counts_clients_as_the_list_does(account_manager, client_for, lost):
    # Given three served clients and `lost` lost ones
    for index in range(3):
        make_client(account_manager, name=f"在管{index}")
    for index in range(lost):
        make_client(account_manager, name=f"流失{index}", lifecycle="lost")
    web = client_for(account_manager)
    page = web.get("/").content.decode()
    listed = web.get("/clients/").content.decode()
    # Then the desk's total is the list's, and the lost ones are named as such
    assert _stat(page, "clients-total") == str(3 + lost)
    assert re.search(rf'data-testid="client-count">\D*{3 + lost}\D', listed)
    if lost:
        assert re.search(rf'data-testid="clients-lost">（含流失 {lost} 位）<', page)
    else:
        assert 'data-testid="clients-lost"' not in page


def test_core_depends_on_no_app_above_it():
    # The desk reads every app; core, the lowest, reads none of them (STYLE.md, "To mend as you pass").
    # (Its `demo` and `preset` commands still drive the apps above: commands, not code the apps run.)
    from pathlib import Path

    import amdesk

    core = Path(amdesk.__file__).parent / "core"
    above = re.compile(r"^\s*(?:from|import) amdesk\.(?!core\b)(\w+)", re.M)
    found = {
        f"{path.relative_to(core)}: amdesk.{match.group(1)}"
        for path in core.rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
        for match in above.finditer(path.read_text(encoding="utf-8"))
    }
    assert not found, found
