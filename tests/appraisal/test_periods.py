"""The workflow of a period: adjust, sign off, approve, reopen, and stale or locked writes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amdesk.appraisal.models import AppraisalPeriod, IndicatorResult, ScoreCard
from amdesk.appraisal.services.locking import StalePeriod
from amdesk.appraisal.services.periods import period_approve, period_reopen, team_sign_off, value_adjust
from amdesk.appraisal.services.runs import period_run
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry

from .periods_helpers import computed_may

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (80, 2), team2_manager: (50, 0), other_manager: (30, 10)}
    )


def result_of(period, person, code="sales") -> IndicatorResult:
    return IndicatorResult.objects.get(
        card__period=period, card__staff=person, scheme_indicator__indicator__code=code
    )


def test_adjusting_a_value_rescores_the_person_and_reranks(
    may, appraisal_admin, account_manager, team2_manager
):
    # Given the AM ranks 1st in the branch with 80, team2's manager 2nd with 70
    assert ScoreCard.objects.get(period=may, staff=team2_manager).branch_rank == 2
    # When team2's sales are adjusted to 100
    value_adjust(
        actor=appraisal_admin, result=result_of(may, team2_manager), value=Decimal(100), reason="补录业绩"
    )
    # Then his score is 100 and he moves to the top of the branch
    card = ScoreCard.objects.get(period=may, staff=team2_manager)
    assert card.score == Decimal("100.00") and card.branch_rank == 1
    assert ScoreCard.objects.get(period=may, staff=account_manager).branch_rank == 2
    entry = AuditEntry.objects.get(event=AuditEvent.APPRAISAL_VALUE_ADJUSTED)
    assert entry.detail["reason"] == "补录业绩" and entry.detail["after"]["score"] == "100.00"


def test_an_adjustment_needs_a_reason_and_the_admin(may, appraisal_admin, supervisor, account_manager):
    with pytest.raises(ValidationError) as refused:
        value_adjust(
            actor=appraisal_admin, result=result_of(may, account_manager), value=Decimal(1), reason="  "
        )
    assert "原因" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        value_adjust(actor=supervisor, result=result_of(may, account_manager), value=Decimal(1), reason="x")


def test_approval_waits_for_every_team_and_names_the_missing(
    may, appraisal_admin, supervisor, other_supervisor, org
):
    team_sign_off(actor=supervisor, period=may, org_node=org.tm1)
    with pytest.raises(ValidationError) as refused:
        period_approve(actor=appraisal_admin, period=may)
    message = " ".join(refused.value.messages)
    assert "个人金融团队" in message and "小微金融团队" in message and "公司金融团队" not in message
    team_sign_off(actor=supervisor, period=may, org_node=org.tm2)
    team_sign_off(actor=other_supervisor, period=may, org_node=org.tm3)
    period = period_approve(actor=appraisal_admin, period=may)
    assert period.state == AppraisalPeriod.State.APPROVED and period.approved_by == appraisal_admin
    assert AuditEntry.objects.filter(event=AuditEvent.PERIOD_APPROVED).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.TEAM_SIGNED_OFF).count() == 3


def test_only_the_teams_supervisor_or_head_signs_off(
    may, other_supervisor, branch_head, account_manager, org
):
    with pytest.raises(PermissionDenied):
        team_sign_off(actor=other_supervisor, period=may, org_node=org.tm1)
    with pytest.raises(PermissionDenied):
        team_sign_off(actor=account_manager, period=may, org_node=org.tm1)
    # the branch head's led node covers every team under it
    assert team_sign_off(actor=branch_head, period=may, org_node=org.tm1).signed_by == branch_head
    with pytest.raises(ValidationError):
        team_sign_off(actor=branch_head, period=may, org_node=org.tm1)  # already handed in


def test_sign_off_only_after_a_run(appraisal_admin, supervisor, org, account_manager):
    from amdesk.appraisal.services.runs import period_open

    from .periods_helpers import indicator, scheme_with

    scheme = scheme_with([(indicator("z"), "c", 1.0, 1.0, {})])
    period = period_open(actor=appraisal_admin, scheme=scheme, start=may_start())
    with pytest.raises(ValidationError, match="先|Run"):
        team_sign_off(actor=supervisor, period=period, org_node=org.tm1)


def may_start():
    from .periods_helpers import MAY

    return MAY


def _approved(may, appraisal_admin, supervisor, other_supervisor, org):
    for actor, node in ((supervisor, org.tm1), (supervisor, org.tm2), (other_supervisor, org.tm3)):
        team_sign_off(actor=actor, period=may, org_node=node)
    return period_approve(actor=appraisal_admin, period=may)


def test_a_locked_period_refuses_writes_until_reopened_with_a_reason(
    may, appraisal_admin, supervisor, other_supervisor, org, account_manager
):
    period = _approved(may, appraisal_admin, supervisor, other_supervisor, org)
    with pytest.raises(ValidationError, match="锁定"):
        value_adjust(
            actor=appraisal_admin, result=result_of(period, account_manager), value=Decimal(1), reason="x"
        )
    with pytest.raises(ValidationError, match="锁定"):
        period_run(actor=appraisal_admin, period=period)
    with pytest.raises(ValidationError):
        period_reopen(actor=appraisal_admin, period=period, reason="")
    period = period_reopen(actor=appraisal_admin, period=period, reason="客户投诉复核")
    assert period.state == AppraisalPeriod.State.COMPUTED and period.reopen_reason == "客户投诉复核"
    assert AuditEntry.objects.get(event=AuditEvent.PERIOD_REOPENED).detail["reason"] == "客户投诉复核"
    value_adjust(
        actor=appraisal_admin, result=result_of(period, account_manager), value=Decimal(90), reason="复核"
    )


def test_two_people_acting_at_once_one_wins(may, appraisal_admin, account_manager, team2_manager):
    # Both read the period at the same revision
    seen = may.revision
    value_adjust(
        actor=appraisal_admin,
        result=result_of(may, account_manager),
        value=Decimal(70),
        reason="甲",
        revision=seen,
    )
    # The second, still holding the old revision, is told to reload; his change is not applied
    with pytest.raises(StalePeriod) as stale:
        value_adjust(
            actor=appraisal_admin,
            result=result_of(may, team2_manager),
            value=Decimal(10),
            reason="乙",
            revision=seen,
        )
    assert "刷新" in " ".join(stale.value.messages)
    assert result_of(may, team2_manager).adjusted_value is None
    with pytest.raises(StalePeriod):
        period_approve(actor=appraisal_admin, period=may, revision=seen)
