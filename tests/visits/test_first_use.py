"""What a new user meets on the visit pages: honest empty states for an AM and for his supervisor."""

import re
from datetime import timedelta

from django.utils import timezone

from tests.clients.factories import make_client


def _long_unvisited(client):
    type(client).objects.filter(pk=client.pk).update(created_at=timezone.now() - timedelta(days=400))


def test_a_supervisor_is_told_how_many_of_his_teams_clients_are_overdue(
    account_manager, team2_manager, other_manager, supervisor, client_for
):
    # Given two long-unvisited clients in the supervisor's teams and one in another team
    _long_unvisited(make_client(account_manager, "王小明"))
    _long_unvisited(make_client(team2_manager, "钱七"))
    _long_unvisited(make_client(other_manager, "李大壮"))
    page = client_for(supervisor).get("/visits/").content.decode()
    # Then his visit page does not say every client is visited on time, but that two of his team's are not
    assert "都按时拜访了" not in page
    assert re.search(r'data-testid="team-overdue">.*团队有 2 位客户逾期未访', page, re.S)
    assert 'data-testid="due-empty">你名下没有客户。' in page


def test_an_account_manager_with_no_client_due_and_no_route(account_manager, client_for):
    make_client(account_manager, "王小明")  # just created: not due
    page = client_for(account_manager).get("/visits/").content.decode()
    assert 'data-testid="due-empty">你的客户都按时拜访了。' in page
    assert 'data-testid="team-overdue"' not in page
    # An empty route is a sentence, not the first item of a numbered list
    route = page.split('data-testid="today-route"', 1)[1].split("</section>", 1)[0]
    assert "<ol" not in route and "<li" not in route
    assert 'data-testid="route-empty">今天没有计划拜访。' in route
