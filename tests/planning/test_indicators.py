"""Indicators computed from the system's data (issue 7: achieved "from registrations and real data"):
new clients reported in the work logs, visits recorded, new clients in the archive. They are preset
data with a source; targets, completion, the weekly summary's progress and the monthly plan's table
read them like the registered items, set-based."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amdesk.clients.models import ClientOwnership
from amdesk.planning.models import PerformanceItem
from amdesk.planning.selectors import (
    month_completion,
    month_indicators,
    month_sheet,
    month_targets,
    target_completion,
    week_progress,
)
from amdesk.planning.services import target_sheet_save
from amdesk.planning.sources import SOURCES
from amdesk.presets import load_preset
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.planning.factories import register, write_log
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)
TZ = timezone.get_current_timezone()


def started(client, day: date) -> None:
    ClientOwnership.objects.filter(client=client).update(
        started_at=datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
    )


def real_data(owner, *, visits=(), logs=(), clients=()):
    """Visits on `visits` days, handed-in logs {day: new clients}, clients created on `clients` days."""
    for day in visits:
        record_visit(owner, make_client(owner, name="拜访客户"), day)
    for day, count in dict(logs).items():
        write_log(owner, day, submit=True, openings={"fund": count})
    for day in clients:
        started(make_client(owner, name="新客户"), day)


def test_the_bank_preset_has_the_computed_indicators(preset):
    computed = dict(PerformanceItem.objects.exclude(source="").values_list("code", "source"))
    assert computed == {
        "log-new-clients": "log_new_clients",
        "visits-made": "visits",
        "archive-new-clients": "archive_new_clients",
    }
    assert set(computed.values()) <= set(SOURCES)
    assert load_preset("bank")["indicators"]  # inherited from common.toml


def test_sources_read_logs_visits_and_the_archive(account_manager):
    # Given, in October: two visits, a handed-in log with 3 new clients and a draft one with 5, a
    # client created, and a client handed over to him (not a new client)
    real_data(account_manager, visits=[date(2026, 10, 8), date(2026, 10, 13)])
    write_log(account_manager, date(2026, 10, 9), submit=True, openings={"fund": 2, "insurance": 1})
    write_log(account_manager, date(2026, 10, 12), openings={"fund": 5})  # a draft: not reported yet
    created = make_client(account_manager, name="新建客户")
    started(created, date(2026, 10, 14))
    handed = make_client(StaffFactory(org_node=account_manager.org_node), name="移交客户")
    ClientOwnership.objects.filter(client=handed).update(ended_at=timezone.now())
    ClientOwnership.objects.create(client=handed, owner=account_manager, how=ClientOwnership.How.HANDOVER)
    ids, start, end = [account_manager.pk], OCT, date(2026, 10, 31)
    # Then
    assert SOURCES["visits"].totals(ids, start, end) == {account_manager.pk: 2}
    assert SOURCES["log_new_clients"].totals(ids, start, end) == {account_manager.pk: 3}
    # the two visited clients were created today, outside October; the handover does not count
    assert SOURCES["archive_new_clients"].totals(ids, start, end) == {account_manager.pk: 1}
    assert SOURCES["visits"].daily(ids, start, end)[(account_manager.pk, date(2026, 10, 13))] == 1


def test_targets_on_computed_indicators_are_achieved_from_the_data(account_manager, supervisor):
    # Given October targets on visits and on insurance (registered)
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=OCT,
        lines={"visits-made": {"target": "10"}, "insurance": {"target": "5"}},
    )
    real_data(account_manager, visits=[date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 13)])
    record_visit(account_manager, make_client(account_manager), date(2026, 9, 29))  # last month
    register(account_manager, {("insurance", date(2026, 10, 9)): "2"})
    # Then the target table has them per week, last month included
    table = month_targets(owner=account_manager, month=OCT, today=date(2026, 10, 20))
    row = next(row for row in table.rows if row.item.code == "visits-made")
    assert (row.target, row.achieved, row.last_achieved) == (Decimal("10"), 3, 1)
    assert [achieved for _target, achieved in row.weeks] == [0, 2, 1, 0, 0]
    # completion (appraisal's read) and the monthly summary
    completion = target_completion([account_manager.pk], OCT)[account_manager.pk]
    visits = PerformanceItem.objects.get(code="visits-made")
    assert completion[visits.pk].achieved == 3 and completion[visits.pk].rate == 30.0
    assert {row.item.code: row.achieved for row in month_completion(owner=account_manager, month=OCT)} == {
        "insurance": Decimal("2"),
        "visits-made": Decimal("3"),
    }
    # the weekly summary counts up to the week's end (the week of 5 October ends on the 11th)
    _month, rows = week_progress(owner=account_manager, monday=date(2026, 10, 5), today=date(2026, 11, 1))
    assert {row.item.code: row.achieved for row in rows}["visits-made"] == 2
    # the monthly plan's table: last month, cumulative, target and MoM
    plan = {
        row.item.code: row
        for row in month_indicators(owner=account_manager, month=OCT, today=date(2026, 10, 20))
    }
    assert (plan["visits-made"].last_month, plan["visits-made"].cumulative) == (1, 4)
    assert plan["visits-made"].target == Decimal("10") and plan["visits-made"].mom == 900.0


def test_computed_indicators_are_not_registered(account_manager):
    with pytest.raises(ValidationError):
        register(account_manager, {("visits-made", date(2026, 10, 9)): "2"})
    sheet = month_sheet(owner=account_manager, month=OCT, today=date(2026, 10, 20), editable=True)
    codes = {item.code for item in sheet.items}
    assert "insurance" in codes and not codes & {"visits-made", "log-new-clients", "archive-new-clients"}


def test_completion_queries_do_not_grow_with_the_team(org, supervisor):
    def queries(people) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = target_completion([person.pk for person in people], OCT)
        assert len(result) == len(people)
        return len(captured)

    def team(size):
        people = [StaffFactory(org_node=org.tm1, supervisor=supervisor) for _ in range(size)]
        for person in people:
            target_sheet_save(
                actor=supervisor,
                owner=person,
                month=OCT,
                lines={"visits-made": {"target": "4"}, "log-new-clients": {"target": "6"}},
            )
            real_data(person, visits=[date(2026, 10, 8)], logs={date(2026, 10, 9): 2})
        return people

    few, many = team(2), team(8)
    assert queries(few) == queries(few + many)
