"""The desk shows each capability's card with the viewer's own figures."""

import re

from tests.clients.factories import make_client
from tests.service.factories import open_ticket
from tests.surveys.factories import make_round


def _stat(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert match, f"{testid} is not on the desk"
    return match.group(1).strip()


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
    # And the supervisor, who owns none, sees the service card with the team's figures
    page = client_for(supervisor).get("/").content.decode()
    assert _stat(page, "tickets-open") == "0"
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
