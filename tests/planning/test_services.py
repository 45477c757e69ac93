"""Work logs and their workflow, and the month's performance sheet, through the services."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import (
    PerformanceEntry,
    PerformanceSheet,
    PlanningSettings,
    WorkLog,
    WorkLogOpening,
)
from amdesk.planning.services import (
    StaleDocument,
    StaleSheet,
    available_transitions,
    document_transition,
    due_at,
    performance_sheet_save,
    work_log_create,
    work_log_update,
)
from amdesk.planning.workflow import TRANSITIONS, DocState
from tests.planning.factories import last_working_day, register, review, write_log

pytestmark = pytest.mark.django_db


def test_the_workflow_is_data():
    assert {code: (t.sources, t.target) for code, t in TRANSITIONS.items()} == {
        "submit": ((DocState.DRAFT, DocState.RETURNED), DocState.SUBMITTED),
        "review": ((DocState.SUBMITTED,), DocState.REVIEWED),
        "return": ((DocState.SUBMITTED,), DocState.RETURNED),
    }
    assert TRANSITIONS["return"].comment_required and not TRANSITIONS["review"].comment_required


def test_a_log_is_due_the_same_working_day_at_the_configured_time(account_manager):
    settings = PlanningSettings.current()
    settings.log_due_time = time(18, 30)
    settings.save()
    day = last_working_day()
    log = write_log(account_manager, day)
    assert timezone.localtime(log.due_at).date() == day
    assert timezone.localtime(log.due_at).time() == time(18, 30)
    assert log.org_node_id == account_manager.org_node_id and log.state == DocState.DRAFT


def test_a_log_of_a_holiday_is_due_on_the_next_working_day():
    # National Day 2026: 1–7 October off; the log of 3 October is due on 8 October.
    due = timezone.localtime(due_at(timezone.datetime(2026, 10, 3).date(), time(20, 0)))
    assert due.date().isoformat() == "2026-10-08" and due.time() == time(20, 0)


def test_log_fields_and_new_clients_by_product(account_manager):
    log = write_log(account_manager, openings={"fund": 2, "insurance": 1, "credit-card": 0})
    assert dict(WorkLogOpening.objects.filter(log=log).values_list("item__code", "count")) == {
        "fund": 2,
        "insurance": 1,
    }
    assert (log.prospects_visited, log.counter_consultations, log.phone_consultations) == (3, 12, 5)
    assert log.problems == "网银U盾库存不足"
    assert AuditEntry.objects.filter(event=AuditEvent.WORK_LOG_SAVED, target_id=str(log.pk)).exists()


def test_one_log_per_day_and_none_for_days_to_come(account_manager):
    day = last_working_day()
    write_log(account_manager, day)
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        write_log(account_manager, day)
    with pytest.raises(ValidationError):
        work_log_create(actor=account_manager, day=timezone.localdate() + timedelta(days=1), data={})


def test_unknown_products_and_bad_numbers_are_refused(account_manager):
    # a product line of the client archive, a computed indicator and a code of nothing are no products
    for code in ("deposit", "visits-made", "no-such-line"):
        with pytest.raises(ValidationError) as error:
            write_log(account_manager, openings={code: 1})
        assert "openings" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        write_log(account_manager, prospects_visited=-1)
    assert "prospects_visited" in error.value.message_dict
    assert not WorkLog.objects.exists()


def test_update_saves_only_changes_and_checks_the_version(account_manager):
    log = write_log(account_manager)
    same = work_log_update(
        actor=account_manager, log=log, data={"problems": log.problems}, expected_version=1
    )
    assert same.version == 1  # nothing changed, nothing written
    log = work_log_update(
        actor=account_manager, log=log, data={"problems": "无"}, openings={"fund": 0}, expected_version=1
    )
    assert log.version == 2 and log.problems == "无"
    assert not WorkLogOpening.objects.filter(log=log).exists()
    with pytest.raises(StaleDocument):
        work_log_update(actor=account_manager, log=log, data={"other": "x"}, expected_version=1)


def test_only_the_owner_writes_his_log(account_manager, supervisor):
    log = write_log(account_manager)
    with pytest.raises(PermissionDenied):
        work_log_update(actor=supervisor, log=log, data={"problems": "改"})


def test_submit_review_and_history(account_manager, supervisor):
    log = write_log(account_manager, submit=True)
    assert log.state == DocState.SUBMITTED and log.submitted_at is not None
    assert [t.code for t in available_transitions(account_manager, log)] == []
    assert [t.code for t in available_transitions(supervisor, log)] == ["review", "return"]
    with pytest.raises(ValidationError):
        work_log_update(actor=account_manager, log=log, data={"problems": "改"})
    log = review(supervisor, log, comment="很好")
    assert log.state == DocState.REVIEWED and log.reviewer == supervisor and log.comment == "很好"
    assert list(log.events.order_by("id").values_list("action", "actor__username")) == [
        ("create", "am"),
        ("submit", "am"),
        ("review", "sup"),
    ]
    events = AuditEntry.objects.filter(target_id=str(log.pk), target_type="planning.worklog")
    assert {AuditEvent.WORK_LOG_SUBMITTED, AuditEvent.WORK_LOG_REVIEWED} <= set(
        events.values_list("event", flat=True)
    )


def test_returned_log_is_edited_and_submitted_again(account_manager, supervisor):
    log = write_log(account_manager, submit=True)
    first_submission = log.submitted_at
    with pytest.raises(ValidationError) as error:
        review(supervisor, log, accept=False, comment="  ")
    assert "comment" in error.value.message_dict
    log = review(supervisor, log, accept=False, comment="请补充问题的处理进展")
    assert log.state == DocState.RETURNED and log.comment == "请补充问题的处理进展"
    assert AuditEntry.objects.filter(event=AuditEvent.WORK_LOG_RETURNED, target_id=str(log.pk)).exists()
    log = work_log_update(actor=account_manager, log=log, data={"problems": "已联系科技部补货"})
    log = document_transition(actor=account_manager, document=log, action="submit")
    assert log.state == DocState.SUBMITTED
    # the first submission decides whether the log was on time
    assert log.submitted_at == first_submission


def test_who_may_take_which_step(account_manager, supervisor, other_supervisor, branch_head, team2_manager):
    log = write_log(account_manager)
    with pytest.raises(PermissionDenied):
        document_transition(actor=supervisor, document=log, action="submit")
    log = document_transition(actor=account_manager, document=log, action="submit")
    for outsider in (account_manager, other_supervisor, team2_manager):
        with pytest.raises(PermissionDenied):
            document_transition(actor=outsider, document=log, action="review")
    # the branch head oversees the branch
    assert document_transition(actor=branch_head, document=log, action="review").state == DocState.REVIEWED


def test_a_step_on_an_old_version_or_state_is_refused(account_manager, supervisor):
    log = write_log(account_manager, submit=True)
    with pytest.raises(StaleDocument):
        document_transition(actor=supervisor, document=log, action="review", version=log.version - 1)
    copy = WorkLog.objects.get(pk=log.pk)
    review(supervisor, log)
    with pytest.raises(StaleDocument):  # the copy read before someone else's decision
        document_transition(actor=supervisor, document=copy, action="return", comment="x")
    with pytest.raises(ValidationError):
        document_transition(actor=supervisor, document=log, action="return", comment="x")
    with pytest.raises(ValidationError):
        document_transition(actor=supervisor, document=log, action="approve")


# Performance -------------------------------------------------------------------------------------


def test_performance_sheet_saves_changed_cells_only(account_manager):
    day = last_working_day()
    sheet, changed = register(account_manager, {("insurance", day): "5", ("credit-card", day): "2"})
    assert changed == 2 and sheet.version == 1
    assert sheet.org_node_id == account_manager.org_node_id and sheet.month == day.replace(day=1)
    sheet, changed = register(
        account_manager, {("insurance", day): "5.00", ("credit-card", day): "3", ("fund", day): ""}
    )
    assert changed == 1 and sheet.version == 2
    assert dict(PerformanceEntry.objects.values_list("item__code", "value")) == {
        "insurance": Decimal("5.00"),
        "credit-card": Decimal("3.00"),
    }
    sheet, changed = register(account_manager, {("insurance", day): None})
    assert changed == 1 and not PerformanceEntry.objects.filter(item__code="insurance").exists()
    entry = AuditEntry.objects.filter(event=AuditEvent.PERFORMANCE_SAVED).first()
    assert entry.detail == {"added": 0, "changed": 0, "cleared": 1}


def test_concurrent_saves_of_a_month_do_not_overwrite_each_other(account_manager):
    day = last_working_day()
    month = day.replace(day=1)
    # Two tabs read the sheet at version 0; the first saves, the second is refused and writes nothing.
    performance_sheet_save(
        actor=account_manager, month=month, cells={("insurance", day): "5"}, expected_version=0
    )
    with pytest.raises(StaleSheet):
        performance_sheet_save(
            actor=account_manager,
            month=month,
            cells={("insurance", day): "7", ("fund", day): "1"},
            expected_version=0,
        )
    assert list(PerformanceEntry.objects.values_list("item__code", "value")) == [("insurance", Decimal("5"))]
    assert PerformanceSheet.objects.get().version == 1


def test_performance_cells_are_checked(account_manager):
    day = last_working_day()
    month = day.replace(day=1)
    for cells in (
        {("insurance", day): "-1"},
        {("insurance", day): "abc"},
        {("insurance", day): "1.234"},
        {("no-such-item", day): "1"},
        {("insurance", timezone.localdate() + timedelta(days=1)): "1"},
        {("insurance", month - timedelta(days=1)): "1"},
    ):
        with pytest.raises(ValidationError):
            performance_sheet_save(actor=account_manager, month=month, cells=cells, expected_version=0)
    assert not PerformanceSheet.objects.exists()
