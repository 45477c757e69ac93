"""Sources that count client results, with the team-selling split, on a small hand-built book.

June 2026 is the period (May the previous one). The account manager (am) owns at June 1:
c1 key, won; c2 ordinary prospect (won on June 10); c4 key (handed to am2 on June 20);
c5 key, whose selling team is am 60% / product manager 40%; c6 key (lost on June 25).
c3 enters the archive on June 5 already won."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from amdesk.appraisal.models import SellingTeamMember
from amdesk.appraisal.sources import Context
from amdesk.appraisal.sources.teams import credit, team_shares
from amdesk.orgs.models import Role
from tests.appraisal.library_helpers import aum, created_on, hand_over, lifecycle_change, run
from tests.clients.factories import make_client, set_holding
from tests.orgs.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("frozen")
JUNE = (date(2026, 6, 1), date(2026, 6, 30))
MAY_1 = date(2026, 5, 1)


@pytest.fixture
def frozen():
    with time_machine.travel(date(2026, 7, 15), tick=False):
        yield


@pytest.fixture
def pm(org, supervisor):
    return StaffFactory(org_node=org.tm1, roles=["product_manager"], supervisor=supervisor)


@pytest.fixture
def book(account_manager, team2_manager, pm):
    am, am2 = account_manager, team2_manager
    c = {}
    for name, tier, lifecycle in [
        ("c1", "key", "won"),
        ("c2", "ordinary", "prospect"),
        ("c4", "key", "won"),
        ("c5", "key", "won"),
        ("c6", "key", "won"),
    ]:
        c[name] = make_client(am, name=name, tier=tier, lifecycle=lifecycle)
        created_on(c[name], MAY_1)
    c["c3"] = make_client(am, name="c3", tier="ordinary", lifecycle="won")
    created_on(c["c3"], date(2026, 6, 5))
    lifecycle_change(c["c2"], "prospect", "won", date(2026, 6, 10))
    hand_over(c["c4"], am2, date(2026, 6, 20))
    lifecycle_change(c["c6"], "won", "lost", date(2026, 6, 25))
    role = Role.objects.get(code="account_manager")
    SellingTeamMember.objects.create(client=c["c5"], staff=am, role=role, share_percent=60)
    SellingTeamMember.objects.create(
        client=c["c5"], staff=pm, role=Role.objects.get(code="product_manager"), share_percent=40
    )
    for name, may, june in [("c1", 1000, 1500), ("c4", 800, 500), ("c5", 1000, 1000)]:
        aum(c[name], date(2026, 5, 31), may)
        aum(c[name], date(2026, 6, 30), june)
    aum(c["c1"], date(2026, 6, 15), 1200)
    aum(c["c1"], date(2026, 7, 5), 9999)  # after the period: not counted
    set_holding(c["c1"], "demand-deposit", 10)
    set_holding(c["c1"], "mortgage", 10)  # c1: 2 lines
    set_holding(c["c2"], "demand-deposit", 10)
    set_holding(c["c2"], "time-deposit", 10)  # c2: 1 line
    set_holding(c["c5"], "time-deposit", 10)
    set_holding(c["c5"], "wealth-fixed", 10)  # c5: 2 lines
    return c


def test_team_split_credits_members_by_share_and_others_to_the_owner(
    book, account_manager, pm, other_manager
):
    ctx = Context(staff_ids=[account_manager.pk, pm.pk], start=JUNE[0], end=JUNE[1])
    rows = [
        (book["c5"].pk, account_manager.pk, Decimal(10)),
        (book["c1"].pk, account_manager.pk, Decimal(10)),
    ]
    # c5 has a team: 6 to the AM, 4 to the product manager; c1 has none: all 10 to its owner.
    assert credit(ctx, rows) == {account_manager.pk: Decimal(16), pm.pk: Decimal(4)}
    # The teams are read once per run.
    assert set(team_shares(ctx)) == {book["c5"].pk}
    assert ctx.cache["selling_teams"] is team_shares(ctx)
    # Someone outside the run gets nothing, even as the owner.
    other = Context(staff_ids=[other_manager.pk], start=JUNE[0], end=JUNE[1])
    assert credit(other, rows) == {}


def test_clients_won_counts_lifecycle_changes_and_clients_entered_won(book, account_manager, team2_manager):
    got = run("clients_won", [account_manager, team2_manager], *JUNE)
    assert got == {account_manager.pk: Decimal(2)}  # c2 turned won, c3 entered won


def test_aum_end_takes_the_latest_snapshot_of_the_clients_owned_at_the_end(
    book, account_manager, team2_manager, pm
):
    got = run("aum_end", [account_manager, team2_manager, pm], *JUNE)
    # am: c1 1500 + c5 1000 × 60%; am2: c4 500 (his since June 20); pm: c5 × 40%.
    assert got == {account_manager.pk: Decimal(2100), team2_manager.pk: Decimal(500), pm.pk: Decimal(400)}


def test_aum_growth_against_the_previous_period_end(book, account_manager, team2_manager, pm):
    got = run("aum_growth", [account_manager, team2_manager, pm], *JUNE)
    # am: May 31 = c1 1000 + c4 800 + c5 600 = 2400 → 2100: −12.5%; am2 had nothing on May 31.
    assert got == {account_manager.pk: Decimal("-12.50"), pm.pk: Decimal("0.00")}


def test_cross_sell_rate_and_product_coverage(book, account_manager, team2_manager, pm):
    people = [account_manager, team2_manager, pm]
    # am's clients now, neither prospects nor lost: c1 (2 lines), c2 (1), c3 (0), c5 (2) × 60%.
    assert run("cross_sell_rate", people, *JUNE) == {
        account_manager.pk: Decimal("44.44"),  # (1 + 0.6) / 3.6
        team2_manager.pk: Decimal("0.00"),  # c4 holds nothing
        pm.pk: Decimal("100.00"),
    }
    assert run("cross_sell_rate", people, *JUNE, min_lines=1)[account_manager.pk] == Decimal(
        "72.22"
    )  # 2.6 / 3.6
    assert run("product_coverage", people, *JUNE) == {
        account_manager.pk: Decimal("1.17"),  # (2 + 1 + 0 + 1.2) / 3.6
        team2_manager.pk: Decimal("0.00"),
        pm.pk: Decimal("2.00"),
    }


def test_key_client_retention(book, account_manager, team2_manager, pm):
    got = run("key_client_retention", [account_manager, team2_manager, pm], *JUNE)
    # Key clients am had on June 1: c1 kept, c4 handed over, c5 kept (× 60%), c6 lost → 1.6 / 3.6.
    assert got == {account_manager.pk: Decimal("44.44"), pm.pk: Decimal("100.00")}


def test_churned_key_clients(book, account_manager, team2_manager, pm):
    got = run("churned_key_clients", [account_manager, team2_manager, pm], *JUNE)
    assert got == {account_manager.pk: Decimal(2)}  # c4 left him, c6 became lost


def test_archive_completeness_is_the_mean_of_his_clients(book, account_manager, team2_manager):
    from amdesk.clients.models import Client

    Client.objects.filter(owner=account_manager).update(completeness=50)
    Client.objects.filter(pk=book["c1"].pk).update(completeness=100)
    got = run("archive_completeness", [account_manager, team2_manager], *JUNE)
    # am now owns c1, c2, c3, c5, c6: (100 + 4 × 50) / 5.
    assert got[account_manager.pk] == Decimal("60.00")


def test_nothing_in_the_period_gives_no_rate(book, account_manager):
    got = run("key_client_retention", [account_manager], date(2025, 1, 1), date(2025, 1, 31))
    assert got == {}


def test_key_client_retention_counts_an_offboarded_client_as_not_kept(book, account_manager, pm):
    from amdesk.clients.models import Client

    # c1 offboarded in June: no longer kept → 0.6 / 3.6; offboarded after June changes nothing.
    Client.objects.filter(pk=book["c1"].pk).update(offboarded_on=date(2026, 6, 20))
    assert run("key_client_retention", [account_manager, pm], *JUNE)[account_manager.pk] == Decimal("16.67")
    Client.objects.filter(pk=book["c1"].pk).update(offboarded_on=date(2026, 7, 2))
    assert run("key_client_retention", [account_manager, pm], *JUNE)[account_manager.pk] == Decimal("44.44")


def test_one_person_reads_the_same_values_as_everyone(book, account_manager, team2_manager, pm):
    # The sources ask his own clients and his team clients separately: one person alone must get
    # exactly what the run for everyone gives him (team shares included).
    codes = ["aum_end", "aum_growth", "cross_sell_rate", "product_coverage", "key_client_retention"]
    people = [account_manager, team2_manager, pm]
    for code in codes:
        everyone = run(code, people, *JUNE)
        for person in people:
            assert run(code, [person], *JUNE).get(person.pk) == everyone.get(person.pk), code
