"""Ladder moves: what a closed period proposes, and the appraisal admin's decision."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.appraisal.models import AppraisalPeriod, LadderProposal, LadderRule
from amdesk.appraisal.services.ladder import ladder_decide, ladder_propose
from amdesk.core.models import AuditEntry
from amdesk.orgs.models import GradeHistory
from tests.orgs.factories import StaffFactory

from .ladder_helpers import card, give_grade, grade, month_period, rule, scheme_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(preset):
    LadderRule.objects.all().delete()  # the preset's rules: these tests set their own
    rule("specialist", promote_score=60, promote_periods=1)
    rule("director-1", promote_score=85, promote_periods=2, demote_below=60)
    rule("senior-3", promote_score=85, promote_periods=2, demote_below=60)
    return scheme_version()


def test_two_periods_at_the_mark_propose_a_promotion_with_the_scores(
    ladder, account_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    jan, feb = month_period(ladder, 2026, 1), month_period(ladder, 2026, 2)
    card(jan, account_manager, 88)
    card(feb, account_manager, 90.5)

    proposals = ladder_propose(period=feb, actor=appraisal_admin)

    assert len(proposals) == 1
    move = proposals[0]
    assert (move.direction, move.from_grade, move.to_grade) == (
        "promote",
        grade("director-1"),
        grade("director-2"),
    )
    assert "85" in move.basis and "2026-01 88" in move.basis and "2026-02 90.5" in move.basis


def test_one_period_at_the_mark_is_not_enough_and_a_gap_breaks_the_run(
    ladder, account_manager, team2_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    give_grade(team2_manager, "director-1")
    jan, feb, mar = (month_period(ladder, 2026, m) for m in (1, 2, 3))
    card(jan, account_manager, 70)
    card(feb, account_manager, 90)
    card(jan, team2_manager, 95)  # no card in February
    card(mar, team2_manager, 95)
    card(feb, team2_manager, 95, grade_=grade("specialist"))  # February on a lower grade: does not count

    assert ladder_propose(period=feb, actor=appraisal_admin) == []
    assert ladder_propose(period=mar, actor=appraisal_admin) == []


def test_the_specialist_moves_up_after_one_passed_period(ladder, account_manager, appraisal_admin):
    give_grade(account_manager, "specialist")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 61)

    [move] = ladder_propose(period=jan, actor=appraisal_admin)

    assert move.to_grade == grade("director-1")


def test_a_score_below_the_mark_proposes_a_demotion_but_not_at_the_bottom_or_top(
    ladder, account_manager, team2_manager, other_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    give_grade(team2_manager, "specialist")
    give_grade(other_manager, "senior-3")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 59.5)
    card(jan, team2_manager, 10)
    card(jan, other_manager, 99)
    feb = month_period(ladder, 2026, 2)
    card(feb, other_manager, 99)

    [move] = ladder_propose(period=jan, actor=appraisal_admin)
    assert (move.staff, move.direction, move.to_grade) == (account_manager, "demote", grade("specialist"))
    assert "59.5" in move.basis and "60" in move.basis
    assert ladder_propose(period=feb, actor=appraisal_admin) == []  # senior-3 is the top


def test_no_grade_or_no_active_rule_means_no_proposal(
    ladder, account_manager, team2_manager, appraisal_admin
):
    give_grade(team2_manager, "director-2")  # no rule for director-2
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 10)
    card(jan, team2_manager, 10)

    assert ladder_propose(period=jan, actor=appraisal_admin) == []


def test_proposing_again_replaces_waiting_proposals_and_keeps_decided_ones(
    ladder, account_manager, team2_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    give_grade(team2_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    am_card = card(jan, account_manager, 50)
    card(jan, team2_manager, 40)
    first = {p.staff_id: p for p in ladder_propose(period=jan, actor=appraisal_admin)}
    ladder_decide(
        actor=appraisal_admin, proposal=first[team2_manager.pk], approve=False, reason="新员工保护期"
    )

    # Reopened, the AM's score corrected above the mark, approved again.
    am_card.score = 75
    am_card.save()
    again = ladder_propose(period=jan, actor=appraisal_admin)

    assert again == []
    assert list(LadderProposal.objects.filter(period=jan).values_list("staff_id", "state")) == [
        (team2_manager.pk, "rejected")
    ]


def test_proposals_take_a_fixed_number_of_queries(
    ladder, org, appraisal_admin, django_assert_max_num_queries
):
    jan, feb = month_period(ladder, 2026, 1), month_period(ladder, 2026, 2)
    for n in range(12):
        person = give_grade(StaffFactory(org_node=org.tm1), "director-1")
        card(jan, person, 90)
        card(feb, person, 90 if n % 2 else 50)

    with django_assert_max_num_queries(12):
        proposals = ladder_propose(period=feb, actor=appraisal_admin)

    assert sorted(p.direction for p in proposals) == ["demote"] * 6 + ["promote"] * 6


def test_approval_moves_the_grade_from_the_day_after_the_period_and_is_audited(
    ladder, account_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    jan, feb = month_period(ladder, 2026, 1), month_period(ladder, 2026, 2)
    card(jan, account_manager, 88)
    card(feb, account_manager, 90)
    [move] = ladder_propose(period=feb, actor=appraisal_admin)

    ladder_decide(actor=appraisal_admin, proposal=move, approve=True, reason="业绩稳定")

    account_manager.refresh_from_db()
    assert account_manager.grade == grade("director-2")
    entry = GradeHistory.objects.filter(staff=account_manager).order_by("-id").first()
    assert entry.effective_on == date(2026, 3, 1)
    assert entry.previous_grade == grade("director-1") and "业绩稳定" in entry.reason
    move.refresh_from_db()
    assert (move.state, move.decided_by, move.decision_reason) == ("approved", appraisal_admin, "业绩稳定")
    assert AuditEntry.objects.filter(event="appraisal.ladder_move", actor=appraisal_admin).exists()


def test_rejection_keeps_the_grade(ladder, account_manager, appraisal_admin):
    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 30)
    [move] = ladder_propose(period=jan, actor=appraisal_admin)

    ladder_decide(actor=appraisal_admin, proposal=move, approve=False, reason="客观原因：长期病假")

    account_manager.refresh_from_db()
    assert account_manager.grade == grade("director-1")
    assert LadderProposal.objects.get(pk=move.pk).state == "rejected"


def test_only_the_appraisal_admin_decides_with_a_reason_and_only_once(
    ladder, account_manager, supervisor, appraisal_admin
):
    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 30)
    [move] = ladder_propose(period=jan, actor=appraisal_admin)

    with pytest.raises(PermissionDenied):
        ladder_decide(actor=supervisor, proposal=move, approve=True, reason="同意")
    with pytest.raises(ValidationError) as missing:
        ladder_decide(actor=appraisal_admin, proposal=move, approve=True, reason="  ")
    assert "reason" in missing.value.message_dict
    ladder_decide(actor=appraisal_admin, proposal=move, approve=True, reason="同意")
    with pytest.raises(ValidationError):
        ladder_decide(actor=appraisal_admin, proposal=move, approve=False, reason="改主意了")
    account_manager.refresh_from_db()
    assert account_manager.grade == grade("specialist")


def test_a_reopened_periods_proposal_waits_for_the_next_approval(ladder, account_manager, appraisal_admin):
    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 30)
    [move] = ladder_propose(period=jan, actor=appraisal_admin)
    AppraisalPeriod.objects.filter(pk=jan.pk).update(state=AppraisalPeriod.State.COMPUTED)

    with pytest.raises(ValidationError):
        ladder_decide(actor=appraisal_admin, proposal=move, approve=True, reason="同意")


def test_two_admins_deciding_the_same_proposal_one_wins(ladder, account_manager, appraisal_admin, admin):
    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    card(jan, account_manager, 30)
    ladder_propose(period=jan, actor=appraisal_admin)
    # Both opened the page while the proposal was waiting.
    seen_by_hr = LadderProposal.objects.get(staff=account_manager)
    seen_by_admin = LadderProposal.objects.get(staff=account_manager)

    ladder_decide(actor=appraisal_admin, proposal=seen_by_hr, approve=True, reason="同意降级")
    with pytest.raises(ValidationError) as late:
        ladder_decide(actor=admin, proposal=seen_by_admin, approve=False, reason="不同意")

    assert "已" in " ".join(late.value.messages) or "already" in " ".join(late.value.messages)
    decided = LadderProposal.objects.get(pk=seen_by_hr.pk)
    assert (decided.state, decided.decided_by) == ("approved", appraisal_admin)
    assert GradeHistory.objects.filter(staff=account_manager, grade=grade("specialist")).count() == 1


def test_approving_a_period_proposes_and_reapproving_after_reopen_renews_the_proposal(
    ladder, account_manager, appraisal_admin, supervisor
):
    from django.utils import timezone

    from amdesk.appraisal.models import TeamSignOff
    from amdesk.appraisal.services.periods import period_approve, period_reopen

    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1, state=AppraisalPeriod.State.COMPUTED)
    am_card = card(jan, account_manager, 50)
    TeamSignOff.objects.create(
        period=jan, org_node=account_manager.org_node, signed_by=supervisor, signed_at=timezone.now()
    )

    period_approve(actor=appraisal_admin, period=jan)
    [first] = LadderProposal.objects.filter(period=jan)
    assert first.direction == "demote" and "50" in first.basis

    period_reopen(actor=appraisal_admin, period=AppraisalPeriod.objects.get(pk=jan.pk), reason="复核得分")
    am_card.score = 55
    am_card.save()
    period_approve(actor=appraisal_admin, period=AppraisalPeriod.objects.get(pk=jan.pk))

    [renewed] = LadderProposal.objects.filter(period=jan)
    assert renewed.state == "pending" and "55" in renewed.basis


def test_approved_months_with_an_unapproved_or_missing_month_between_are_not_consecutive(
    ladder, account_manager, team2_manager, appraisal_admin
):
    give_grade(account_manager, "director-1")
    give_grade(team2_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    month_period(ladder, 2026, 2, state=AppraisalPeriod.State.COMPUTED)  # February not approved
    mar = month_period(ladder, 2026, 3)
    for person in (account_manager, team2_manager):
        card(jan, person, 95)
        card(mar, person, 95)
    other = scheme_version()  # another scheme: no May at all between April and June
    apr, jun = month_period(other, 2026, 4), month_period(other, 2026, 6)
    card(apr, account_manager, 95)
    card(jun, account_manager, 95)

    assert ladder_propose(period=mar, actor=appraisal_admin) == []
    assert ladder_propose(period=jun, actor=appraisal_admin) == []


def test_the_career_counts_only_periods_in_a_row_towards_the_next_grade(ladder, account_manager):
    from amdesk.appraisal.selectors.ladder import career

    give_grade(account_manager, "director-1")
    jan = month_period(ladder, 2026, 1)
    month_period(ladder, 2026, 2, state=AppraisalPeriod.State.COMPUTED)
    mar = month_period(ladder, 2026, 3)
    card(jan, account_manager, 95)
    card(mar, account_manager, 95)

    assert career(staff=account_manager).streak == 1
