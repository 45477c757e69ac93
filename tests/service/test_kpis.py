"""Service KPIs on a small, hand-counted set of tickets, per AM, team and branch, scoped, in a
fixed number of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from amdesk.service.selectors import service_kpis
from amdesk.service.services import ticket_rate
from tests.clients.factories import make_client
from tests.service.factories import open_ticket, walk

SH = ZoneInfo("Asia/Shanghai")
NOVEMBER = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def tickets(account_manager, team2_manager, other_manager, supervisor, time_machine):
    """AM (team 1): two complaints of one client, the second a repeat, first feedback late, rated 5 and 3.
    team2_manager: a consultation never answered (both deadlines breached by the 20th).
    other_manager (team 3): one complaint handled in time, rated 4.
    One ticket of October (outside the period)."""
    move = time_machine.move_to
    move(local("2026-10-30 10:00"), tick=False)
    walk(open_ticket(account_manager), account_manager, "give_first_feedback")  # October: not counted
    client = make_client(account_manager, "王五")
    move(local("2026-11-02 09:00"))
    t1 = open_ticket(account_manager, client)
    move(local("2026-11-02 10:00"))
    t1 = walk(t1, account_manager, "give_first_feedback")
    move(local("2026-11-03 10:00"))
    t1 = walk(t1, account_manager, "resolve")  # valid
    ticket_rate(actor=account_manager, ticket=t1, score=5)
    move(local("2026-11-05 09:00"))
    t2 = open_ticket(account_manager, client)  # repeat of t1
    move(local("2026-11-05 20:00"))  # 11 h later: first feedback late
    t2 = walk(t2, account_manager, "give_first_feedback")
    t2 = walk(t2, account_manager, "resolve")
    from amdesk.service.models import Ticket

    Ticket.objects.filter(pk=t2.pk).update(is_valid=False)
    ticket_rate(actor=account_manager, ticket=t2, score=3)
    move(local("2026-11-10 09:00"))
    open_ticket(team2_manager, ticket_type="consultation")
    move(local("2026-11-12 09:00"))
    t4 = walk(open_ticket(other_manager), other_manager, "give_first_feedback", "resolve")
    ticket_rate(actor=other_manager, ticket=t4, score=4)
    move(local("2026-11-20 12:00"))
    return {"t1": t1, "t2": t2, "t4": t4}


def figures(row):
    return (
        row.received,
        row.first_feedback_rate,
        row.handling_rate,
        row.satisfaction_rate,
        row.valid_complaints,
        row.repeat_complaints,
        row.first_feedback_breaches,
        row.resolution_breaches,
    )


def test_per_account_manager(tickets, admin, account_manager, team2_manager, other_manager):
    report = service_kpis(viewer=admin, group_by="owner", **NOVEMBER)
    rows = {row.key: row for row in report.rows}
    assert figures(rows[account_manager.pk]) == (2, 50.0, 100.0, 50.0, 1, 1, 1, 0)
    assert figures(rows[team2_manager.pk]) == (1, 0.0, 0.0, None, 0, 0, 1, 1)
    assert figures(rows[other_manager.pk]) == (1, 100.0, 100.0, 100.0, 1, 0, 0, 0)
    assert rows[account_manager.pk].label == account_manager.full_name
    assert figures(report.total) == (4, 50.0, 75.0, 66.7, 2, 1, 2, 1)
    targets = report.targets
    assert (targets.first_feedback, targets.handling, targets.satisfaction, targets.satisfied_from) == (
        100,
        100,
        90,
        4,
    )
    assert report.meets(rows[other_manager.pk]) == {
        "first_feedback": True,
        "handling": True,
        "satisfaction": True,
    }
    assert report.meets(rows[team2_manager.pk]) == {
        "first_feedback": False,
        "handling": False,
        "satisfaction": None,
    }


def test_per_team_and_branch(tickets, admin, org):
    teams = {row.key: row for row in service_kpis(viewer=admin, group_by="team", **NOVEMBER).rows}
    assert set(teams) == {org.tm1.pk, org.tm2.pk, org.tm3.pk}
    assert teams[org.tm1.pk].received == 2 and teams[org.tm1.pk].label == org.tm1.name
    branches = service_kpis(viewer=admin, group_by="branch", **NOVEMBER).rows
    assert [(row.key, row.label, row.received, row.breaches) for row in branches] == [
        (org.br.pk, org.br.name, 4, 3)
    ]


def test_the_branch_level_is_the_admins(tickets, admin, org):
    # Given the admin marks the sub-branch level (支行, depth 2) as the branches of the reports
    from amdesk.orgs.models import OrgLevel

    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    report = service_kpis(viewer=admin, group_by="branch", **NOVEMBER)
    # Then the KPIs group by sub-branch and are labelled with that level's name
    assert {row.key for row in report.rows} == {org.sb1.pk, org.sb2.pk}
    assert sum(row.received for row in report.rows) == 4
    assert report.branch_label == "支行"


def test_the_scope_decides_what_is_counted(tickets, supervisor, other_supervisor, account_manager):
    assert service_kpis(viewer=supervisor, group_by="team", **NOVEMBER).total.received == 3
    assert service_kpis(viewer=other_supervisor, **NOVEMBER).total.received == 1
    mine = service_kpis(viewer=account_manager, **NOVEMBER)
    assert [row.key for row in mine.rows] == [account_manager.pk]


def test_a_fixed_number_of_queries(tickets, admin, django_assert_max_num_queries):
    # settings, counts, and for branches the org levels and the branch nodes
    for group_by, budget in (("owner", 3), ("team", 3), ("branch", 4)):
        with django_assert_max_num_queries(budget):
            service_kpis(viewer=admin, group_by=group_by, **NOVEMBER)


def test_valid_complaints_count_complaints_and_quality_feedback_only(account_manager, admin, time_machine):
    time_machine.move_to(local("2026-11-02 09:00"), tick=False)
    walk(open_ticket(account_manager), account_manager, "give_first_feedback", "resolve")
    consultation = walk(
        open_ticket(account_manager, ticket_type="consultation"), account_manager, "give_first_feedback"
    )
    # A consultation has no "valid complaint": what the form sends is not kept…
    consultation = walk(consultation, account_manager, "resolve")
    assert consultation.is_valid is None
    # …and a value set by other means is not counted either.
    from amdesk.service.models import Ticket

    Ticket.objects.filter(pk=consultation.pk).update(is_valid=True)
    assert service_kpis(viewer=admin, **NOVEMBER).total.valid_complaints == 1


def test_resolving_a_suggestion_needs_no_judgment(account_manager, time_machine):
    from amdesk.service.services import ticket_transition

    time_machine.move_to(local("2026-11-02 09:00"), tick=False)
    ticket = walk(
        open_ticket(account_manager, ticket_type="suggestion"), account_manager, "give_first_feedback"
    )
    ticket = ticket_transition(
        actor=account_manager,
        ticket=ticket,
        action="resolve",
        version=ticket.version,
        data={"resolution": "已转产品部门"},
    )
    assert ticket.state == "resolved" and ticket.is_valid is None


def test_a_ticket_paused_after_its_deadline_counts_as_a_breach(account_manager, admin, time_machine):
    time_machine.move_to(local("2026-11-02 09:00"), tick=False)
    late = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    in_time = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    time_machine.move_to(local("2026-11-04 09:00"), tick=False)
    walk(in_time, account_manager, "wait_for_client")  # paused a day before its deadline
    time_machine.move_to(local("2026-11-05 10:00"), tick=False)  # resolution of both due 09:00
    walk(late, account_manager, "wait_for_client")  # paused an hour after it
    time_machine.move_to(local("2026-11-20 12:00"), tick=False)
    total = service_kpis(viewer=admin, **NOVEMBER).total
    assert (total.resolution_breaches, total.first_feedback_breaches) == (1, 0)
