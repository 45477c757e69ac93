"""Monthly targets 目标设定表: set by the supervisor (or split from the team's target), proposed by
the account manager and approved, achieved figures from the registrations, on track or behind."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from amdesk.core import calendar
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import PlanningSettings, TargetSheet
from amdesk.planning.selectors import (
    expected_share,
    month_targets,
    target_completion,
    target_status,
    team_targets,
)
from amdesk.planning.services import (
    StaleDocument,
    document_transition,
    split_total,
    target_sheet_save,
    team_targets_split,
    week_of,
    weekly_split,
)
from tests.orgs.factories import StaffFactory
from tests.planning.factories import register

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)  # National Day holiday 1–7 October, Saturday 10 October a make-up working day


def test_split_total_in_cents_adds_up():
    assert split_total(Decimal("100"), {1: 1, 2: 1, 3: 1}) == {
        1: Decimal("33.34"),
        2: Decimal("33.33"),
        3: Decimal("33.33"),
    }
    assert split_total(Decimal("10"), {1: 3, 2: 1, 3: 0}) == {1: Decimal("7.50"), 2: Decimal("2.50"), 3: 0}


def test_weeks_are_the_grids_and_weekly_targets_follow_working_days():
    # October 2026 starts on a Thursday: week 1 is 1–4 October (all holidays)
    assert [week_of(OCT, date(2026, 10, d)) for d in (1, 4, 5, 11, 12, 31)] == [1, 1, 2, 2, 3, 5]
    # the holiday week gets no share of the month's target
    weeks = weekly_split(OCT, Decimal("100"))
    assert weeks[0] == 0 and sum(weeks) == Decimal("100")
    # August 2026 starts on a Saturday and has 6 grid weeks: the 6th counts as week 5
    assert week_of(date(2026, 8, 1), date(2026, 8, 31)) == 5


def test_expected_share_counts_working_days_before_today():
    assert expected_share(OCT, date(2026, 9, 30)) == 0
    assert expected_share(OCT, date(2026, 11, 2)) == 1
    working = [d for d in range(1, 32) if calendar.is_working_day(date(2026, 10, d))]
    # on 9 October, 8 October is the only working day over
    assert expected_share(OCT, date(2026, 10, 9)) == Decimal(1) / Decimal(len(working))


def test_status_compares_achieved_share_with_the_month_elapsed():
    assert target_status(None, Decimal("5"), Decimal("0.5"), 90) == ""
    assert target_status(Decimal("10"), Decimal("10"), Decimal("0.5"), 90) == "done"
    assert target_status(Decimal("10"), Decimal("4.5"), Decimal("0.5"), 90) == "on_track"  # 45% ≥ 90% of 50%
    assert target_status(Decimal("10"), Decimal("4.4"), Decimal("0.5"), 90) == "behind"


def test_supervisor_sets_targets_approved_at_once(account_manager, supervisor):
    sheet, changed = target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=OCT,
        lines={"insurance": {"target": "20"}},
        expected_version=0,
    )
    assert changed == 1 and sheet.state == "reviewed" and sheet.set_by == supervisor and sheet.version == 1
    line = sheet.lines.get()
    assert line.target == Decimal("20") and sum(w for w in line.weeks) == Decimal("20")
    assert [event.action for event in sheet.events.all()] == ["set"]
    assert AuditEntry.objects.filter(event=AuditEvent.TARGETS_SAVED, actor=supervisor).exists()
    # the account manager cannot change approved targets
    with pytest.raises(ValidationError):
        target_sheet_save(
            actor=account_manager, owner=account_manager, month=OCT, lines={"insurance": {"target": "5"}}
        )


def test_am_proposes_submits_and_the_supervisor_approves_or_returns(account_manager, supervisor):
    sheet, _n = target_sheet_save(
        actor=account_manager,
        owner=account_manager,
        month=OCT,
        lines={"insurance": {"target": "12", "weeks": ["", "3", "3", "3", "3"]}},
        expected_version=0,
    )
    assert sheet.state == "draft" and sheet.set_by is None
    assert sheet.due_at.date() == calendar.add_working_days(date(2026, 10, 8), 2)  # 3rd working day
    assert sheet.lines.get().weeks == [None, Decimal("3"), Decimal("3"), Decimal("3"), Decimal("3")]
    sheet = document_transition(actor=account_manager, document=sheet, action="submit")
    sheet = document_transition(actor=supervisor, document=sheet, action="return", comment="保险目标偏低")
    sheet, _n = target_sheet_save(
        actor=account_manager,
        owner=account_manager,
        month=OCT,
        lines={"insurance": {"target": "15"}},
        expected_version=sheet.version,
    )
    sheet = document_transition(actor=account_manager, document=sheet, action="submit")
    sheet = document_transition(actor=supervisor, document=sheet, action="review")
    assert sheet.state == "reviewed" and sheet.lines.get().target == Decimal("15")
    events = AuditEntry.objects.filter(event__in=[AuditEvent.TARGETS_SUBMITTED, AuditEvent.TARGETS_APPROVED])
    assert events.count() == 3


def test_a_stale_version_writes_nothing(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=OCT, lines={"insurance": {"target": "20"}}
    )
    with pytest.raises(StaleDocument):
        target_sheet_save(
            actor=supervisor,
            owner=account_manager,
            month=OCT,
            lines={"insurance": {"target": "9"}},
            expected_version=0,
        )
    assert TargetSheet.objects.get().lines.get().target == Decimal("20")


def test_only_a_supervisor_in_scope_sets_targets(account_manager, team2_manager, other_supervisor):
    with pytest.raises(PermissionDenied):
        target_sheet_save(
            actor=team2_manager, owner=account_manager, month=OCT, lines={"insurance": {"target": "1"}}
        )
    with pytest.raises(Http404):
        target_sheet_save(
            actor=other_supervisor, owner=account_manager, month=OCT, lines={"insurance": {"target": "1"}}
        )
    assert not TargetSheet.objects.exists()


def test_bad_lines_are_refused(account_manager, supervisor):
    with pytest.raises(ValidationError) as exc:
        target_sheet_save(
            actor=supervisor,
            owner=account_manager,
            month=OCT,
            lines={"nope": {"target": "1"}, "insurance": {"target": "-1"}},
        )
    assert len(exc.value.message_dict["lines"]) == 2


def test_team_target_split_by_weights(account_manager, team2_manager, supervisor):
    shares = team_targets_split(
        actor=supervisor,
        month=OCT,
        item_code="fund",
        total="90",
        weights={account_manager.pk: 2, team2_manager.pk: 1},
    )
    assert shares == {account_manager.pk: Decimal("60.00"), team2_manager.pk: Decimal("30.00")}
    assert TargetSheet.objects.filter(state="reviewed").count() == 2
    with pytest.raises(ValidationError):
        team_targets_split(
            actor=supervisor, month=OCT, item_code="fund", total="90", weights={supervisor.pk: 1}
        )
    with pytest.raises(PermissionDenied):
        team_targets_split(
            actor=account_manager, month=OCT, item_code="fund", total="9", weights={team2_manager.pk: 1}
        )


def test_month_table_has_last_month_weeks_actual_and_status(account_manager, supervisor):
    # Given targets for September and October 2026 and registrations in both
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=date(2026, 9, 1), lines={"insurance": {"target": "8"}}
    )
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=OCT, lines={"insurance": {"target": "20"}}
    )
    register(account_manager, {("insurance", date(2026, 9, 15)): "7"})
    register(account_manager, {("insurance", date(2026, 10, 8)): "2", ("insurance", date(2026, 10, 12)): "3"})
    # When the table is read on 20 October
    with CaptureQueriesContext(connection) as captured:
        table = month_targets(owner=account_manager, month=OCT, today=date(2026, 10, 20))
    row = next(row for row in table.rows if row.item.code == "insurance")
    # Then
    assert (row.last_target, row.last_achieved, row.target, row.achieved) == (
        Decimal("8"),
        Decimal("7"),
        Decimal("20"),
        Decimal("5"),
    )
    assert [achieved for _target, achieved in row.weeks] == [0, Decimal("2"), Decimal("3"), 0, 0]
    assert row.status == "behind"  # 25% achieved, 8 of 21 working days over
    assert len(captured) <= 10
    fund = next(row for row in table.rows if row.item.code == "fund")
    assert fund.target is None and fund.status == ""
    # a lower threshold puts him on track
    PlanningSettings.objects.filter(pk=1).update(target_on_track_percent=50)
    table = month_targets(owner=account_manager, month=OCT, today=date(2026, 10, 20))
    assert next(row for row in table.rows if row.item.code == "insurance").status == "on_track"


def test_team_targets_and_completion_for_appraisal(
    org, account_manager, team2_manager, other_manager, supervisor
):
    for person, achieved in ((account_manager, "30"), (team2_manager, "5")):
        target_sheet_save(actor=supervisor, owner=person, month=OCT, lines={"fund": {"target": "20"}})
        register(person, {("fund", date(2026, 10, 9)): achieved})
    items, rows = team_targets(viewer=supervisor, month=OCT, today=date(2026, 10, 20))
    fund = next(item for item in items if item.code == "fund")
    by_name = {row.person.username: row.cells[fund.pk] for row in rows}
    assert set(by_name) == {"am", "am_team2"}  # other_manager is another supervisor's
    assert by_name["am"][2] == "done" and by_name["am_team2"][2] == "behind"

    def completion():
        with CaptureQueriesContext(connection) as captured:
            result = target_completion([account_manager.pk, team2_manager.pk, other_manager.pk], OCT)
        return result, len(captured)

    result, few = completion()
    assert (
        result[account_manager.pk][fund.pk].rate == 150.0 and result[team2_manager.pk][fund.pk].rate == 25.0
    )
    assert other_manager.pk not in result
    # a constant number of queries, whatever the number of people
    for _ in range(5):
        person = StaffFactory(org_node=org.tm1)
        target_sheet_save(actor=supervisor, owner=person, month=OCT, lines={"fund": {"target": "1"}})
    _result, more = completion()
    assert more == few
    scoped = target_completion([account_manager.pk], OCT, viewer=team2_manager)
    assert scoped == {}
