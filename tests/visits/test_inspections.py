"""Post-loan inspections 贷后检查: scheduled per loan, recorded by the AM, watched by the supervisor."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from amdesk.clients.models import Client
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.visits.models import ChecklistItem, LoanInspection
from amdesk.visits.selectors import access_inspection, inspections_for, inspections_overdue
from amdesk.visits.services import inspection_add, inspection_record, inspections_schedule
from tests.clients.factories import make_client, set_holding
from tests.visits.factories import at, record_visit, visit_settings

TODAY = date(2026, 3, 6)
OPENED = date(2026, 1, 10)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture(autouse=True)
def inspected(preset):
    ChecklistItem.objects.create(
        code="t-funds-diverted", name="资金挪用", purpose=ChecklistItem.Purpose.RISK_SIGNAL
    )
    ChecklistItem.objects.create(code="t-lawsuits", name="涉诉", purpose=ChecklistItem.Purpose.RISK_SIGNAL)
    ChecklistItem.objects.create(code="t-stock", name="检查库存")
    return visit_settings(
        inspected_product_lines=["loan"], first_inspection_days=30, inspection_interval_days=90
    )


@pytest.fixture
def borrower(account_manager):
    return make_client(account_manager, "借款人", lifecycle=Client.Lifecycle.WON)


@pytest.fixture
def loan(borrower):
    return set_holding(borrower, "consumer-loan", 200000, opened_on=OPENED)


REPORT = {
    "use_of_funds": "用于装修, 与申请一致",
    "repayment_source": "工资收入",
    "risk_level": LoanInspection.Risk.NORMAL,
    "risk_signals": [],
    "conclusion": "正常",
}


# Scheduling


def test_loans_of_the_inspected_lines_get_their_first_inspection(borrower, loan):
    set_holding(borrower, "demand-deposit", 50000, opened_on=OPENED)
    set_holding(borrower, "credit-card", 3000, opened_on=OPENED)

    assert inspections_schedule(today=TODAY) == 1

    inspection = LoanInspection.objects.get()
    assert (inspection.loan, inspection.client, inspection.owner, inspection.org_node) == (
        loan,
        borrower,
        borrower.owner,
        borrower.org_node,
    )
    assert inspection.kind == LoanInspection.Kind.SCHEDULED
    assert inspection.due_on == OPENED + timedelta(days=30)


def test_the_inspected_lines_are_a_setting(borrower, loan):
    set_holding(borrower, "credit-card", 3000, opened_on=OPENED)
    visit_settings(inspected_product_lines=[])
    assert inspections_schedule(today=TODAY) == 0

    visit_settings(inspected_product_lines=["card"])
    assert inspections_schedule(today=TODAY) == 1
    assert LoanInspection.objects.get().loan.product.code == "credit-card"


def test_a_loan_without_a_grant_date_is_inspected_from_today(borrower):
    set_holding(borrower, "business-loan", 100000)

    inspections_schedule(today=TODAY)

    assert LoanInspection.objects.get().due_on == TODAY + timedelta(days=30)


def test_scheduling_twice_opens_nothing_new(borrower, loan):
    assert inspections_schedule(today=TODAY) == 1
    assert inspections_schedule(today=TODAY) == 0
    assert inspections_schedule(today=TODAY + timedelta(days=100)) == 0
    assert LoanInspection.objects.filter(loan=loan, done_on__isnull=True).count() == 1


def test_an_ad_hoc_inspection_does_not_stand_for_the_scheduled_one(account_manager, borrower, loan):
    inspection_add(actor=account_manager, client=borrower, loan=loan, due_on=TODAY, reason="听说涉诉")

    assert inspections_schedule(today=TODAY) == 1
    assert LoanInspection.objects.filter(loan=loan, kind=LoanInspection.Kind.SCHEDULED).count() == 1


def test_loans_of_lost_clients_are_not_inspected(borrower, loan):
    Client.objects.filter(pk=borrower.pk).update(lifecycle=Client.Lifecycle.LOST)

    assert inspections_schedule(today=TODAY) == 0


def test_the_next_inspection_is_due_one_interval_after_the_last(account_manager, borrower, loan):
    inspections_schedule(today=TODAY)
    first = LoanInspection.objects.get()

    inspection_record(actor=account_manager, inspection=first, data={**REPORT, "done_on": date(2026, 2, 12)})

    # then the next one is open at once, 90 days after the one done
    following = LoanInspection.objects.get(done_on__isnull=True)
    assert following.loan == loan and following.kind == LoanInspection.Kind.SCHEDULED
    assert following.due_on == date(2026, 2, 12) + timedelta(days=90)
    assert inspections_schedule(today=TODAY) == 0


def test_the_interval_counts_from_the_latest_inspection_of_any_kind(account_manager, borrower, loan):
    old = LoanInspection.objects.create(
        client=borrower,
        loan=loan,
        owner=account_manager,
        org_node=borrower.org_node,
        due_on=date(2025, 9, 1),
        done_on=date(2025, 9, 1),
    )
    ad_hoc = inspection_add(
        actor=account_manager, client=borrower, loan=loan, due_on=TODAY, reason="大额还款逾期"
    )
    inspection_record(actor=account_manager, inspection=ad_hoc, data={**REPORT, "done_on": date(2026, 3, 1)})

    scheduled = LoanInspection.objects.get(done_on__isnull=True)
    assert scheduled.due_on == date(2026, 3, 1) + timedelta(days=90)
    assert old.pk != scheduled.pk


# The report


@pytest.fixture
def inspection(loan):
    inspections_schedule(today=TODAY)
    return LoanInspection.objects.get()


def test_the_am_records_the_inspection_with_its_visit(account_manager, borrower, inspection):
    visit = record_visit(account_manager, borrower, TODAY - timedelta(days=1))

    done = inspection_record(
        actor=account_manager,
        inspection=inspection,
        visit=visit,
        data={**REPORT, "risk_level": LoanInspection.Risk.WATCH, "risk_signals": ["t-lawsuits"]},
    )

    done.refresh_from_db()
    assert done.is_done and done.done_on == visit.visited_on and done.visit == visit
    assert (done.risk_level, done.risk_signals, done.use_of_funds) == (
        LoanInspection.Risk.WATCH,
        ["t-lawsuits"],
        REPORT["use_of_funds"],
    )
    assert AuditEntry.objects.filter(
        event=AuditEvent.INSPECTION_RECORDED, target_id=str(inspection.pk), actor_id=account_manager.pk
    ).exists()


def test_an_inspection_without_a_visit_is_done_today(account_manager, inspection):
    assert inspection_record(actor=account_manager, inspection=inspection, data=REPORT).done_on == TODAY


@pytest.mark.parametrize("missing", ["use_of_funds", "repayment_source", "risk_level"])
def test_the_report_needs_each_part(account_manager, inspection, missing):
    with pytest.raises(ValidationError) as excinfo:
        inspection_record(actor=account_manager, inspection=inspection, data={**REPORT, missing: "  "})

    assert missing in excinfo.value.message_dict
    assert not LoanInspection.objects.get(pk=inspection.pk).is_done


@pytest.mark.parametrize("signal", ["t-unknown", "t-stock"])
def test_only_known_risk_signals_are_accepted(account_manager, inspection, signal):
    with pytest.raises(ValidationError) as excinfo:
        inspection_record(
            actor=account_manager,
            inspection=inspection,
            data={**REPORT, "risk_signals": ["t-lawsuits", signal]},
        )
    assert "risk_signals" in excinfo.value.message_dict


def test_an_unknown_risk_level_is_refused(account_manager, inspection):
    with pytest.raises(ValidationError) as excinfo:
        inspection_record(
            actor=account_manager, inspection=inspection, data={**REPORT, "risk_level": "extreme"}
        )
    assert "risk_level" in excinfo.value.message_dict


def test_an_inspection_is_not_done_in_the_future(account_manager, inspection):
    with pytest.raises(ValidationError) as excinfo:
        inspection_record(
            actor=account_manager,
            inspection=inspection,
            data={**REPORT, "done_on": TODAY + timedelta(days=1)},
        )
    assert "done_on" in excinfo.value.message_dict
    assert not LoanInspection.objects.filter(done_on__isnull=False).exists()


def test_only_the_clients_am_records_it(supervisor, team2_manager, inspection):
    for someone in (supervisor, team2_manager):
        with pytest.raises(PermissionDenied):
            inspection_record(actor=someone, inspection=inspection, data=REPORT)
    assert not LoanInspection.objects.get(pk=inspection.pk).is_done


def test_an_inspection_is_recorded_once(account_manager, inspection):
    inspection_record(actor=account_manager, inspection=inspection, data=REPORT)

    with pytest.raises(ValidationError):
        inspection_record(actor=account_manager, inspection=inspection, data=REPORT)


def test_the_visit_must_be_to_the_borrower(account_manager, inspection):
    other = make_client(account_manager, "别的客户")
    visit = record_visit(account_manager, other, TODAY - timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        inspection_record(actor=account_manager, inspection=inspection, visit=visit, data=REPORT)
    assert "visit" in excinfo.value.message_dict


# Ad hoc


def test_an_ad_hoc_inspection_says_why(account_manager, borrower, loan):
    with pytest.raises(ValidationError):
        inspection_add(actor=account_manager, client=borrower, due_on=TODAY, reason=" ")

    ad_hoc = inspection_add(actor=account_manager, client=borrower, due_on=TODAY, reason="经营异常")
    assert (ad_hoc.kind, ad_hoc.owner, ad_hoc.reason, ad_hoc.loan) == (
        LoanInspection.Kind.AD_HOC,
        account_manager,
        "经营异常",
        None,
    )


def test_an_ad_hoc_inspection_is_for_a_client_in_scope_and_its_own_loan(
    account_manager, other_manager, borrower, loan
):
    stranger = make_client(other_manager, "别人的客户")
    with pytest.raises(PermissionDenied):
        inspection_add(actor=account_manager, client=stranger, due_on=TODAY, reason="风险")
    someone_else = make_client(account_manager, "另一借款人")
    with pytest.raises(ValidationError):
        inspection_add(actor=account_manager, client=someone_else, loan=loan, due_on=TODAY, reason="风险")


# Oversight


def test_overdue_inspections_for_the_supervisor_and_risk_view(
    account_manager, team2_manager, other_manager, supervisor, other_supervisor, admin, borrower
):
    # Given inspections of two teams under one supervisor, and of a third team: overdue, due, done
    def inspection_of(client, due_on, done_on=None):
        return LoanInspection.objects.create(
            client=client,
            owner=client.owner,
            org_node=client.org_node,
            due_on=due_on,
            done_on=done_on,
            kind=LoanInspection.Kind.AD_HOC,
        )

    mine = inspection_of(borrower, TODAY - timedelta(days=1))
    inspection_of(borrower, TODAY)  # due today: not overdue yet
    inspection_of(borrower, TODAY - timedelta(days=20), done_on=TODAY - timedelta(days=19))
    team2 = inspection_of(make_client(team2_manager, "二组借款人"), TODAY - timedelta(days=5))
    far = inspection_of(make_client(other_manager, "三组借款人"), TODAY - timedelta(days=5))

    assert set(inspections_overdue(supervisor, today=TODAY)) == {mine, team2}
    assert set(inspections_overdue(account_manager, today=TODAY)) == {mine}
    assert set(inspections_overdue(other_supervisor, today=TODAY)) == {far}
    assert set(inspections_overdue(admin, today=TODAY)) == {mine, team2, far}
    assert inspections_for(team2_manager).count() == 1
    with pytest.raises(Http404):
        access_inspection(other_supervisor, mine.pk)


def test_an_open_inspection_follows_the_client_to_a_new_owner(
    borrower, loan, account_manager, team2_manager, supervisor
):
    from amdesk.clients.services import client_handover

    inspections_schedule(today=TODAY)
    inspection = LoanInspection.objects.get()
    client_handover(actor=supervisor, client_ids=[borrower.pk], to_staff=team2_manager, reason="岗位调整")

    assert list(inspections_for(team2_manager)) == [inspection]
    assert list(inspections_for(account_manager)) == []
    with pytest.raises(PermissionDenied):
        inspection_record(actor=account_manager, inspection=inspection, data=REPORT)
    inspection_record(actor=team2_manager, inspection=inspection, data=REPORT)
    inspection.refresh_from_db()
    assert inspection.is_done and inspection.owner == team2_manager


def test_a_repaid_loan_keeps_its_reports_and_drops_what_was_still_due(borrower, loan, account_manager):
    inspections_schedule(today=TODAY)
    done = LoanInspection.objects.get()
    inspection_record(actor=account_manager, inspection=done, data=REPORT)
    assert LoanInspection.objects.filter(done_on__isnull=True).count() == 1  # the next one

    set_holding(borrower, "consumer-loan", 0)  # repaid: the holding goes

    assert [i.pk for i in inspections_for(account_manager)] == [done.pk]
    inspections_schedule(today=TODAY)
    assert list(LoanInspection.objects.values_list("pk", flat=True)) == [done.pk]
