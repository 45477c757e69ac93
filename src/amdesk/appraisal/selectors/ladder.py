"""Reads of the ladder: who may decide moves, the proposals in a viewer's scope, the rules in words,
and a person's career (grade, history, what the next grade needs and how far he is)."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amdesk.orgs.models import GradeHistory, LadderGrade, Staff

from ..models import AppraisalPeriod, LadderProposal, LadderRule, ScoreCard
from ..services.access import is_appraisal_admin, led_staff_q

__all__ = ["career", "is_appraisal_admin", "ladder_proposals", "ladder_rules"]


def ladder_proposals(*, viewer, state: str | None = None, period_id: int | None = None) -> QuerySet:
    """Proposals about people the viewer sees (an AM his own, a supervisor his team's, admins all)."""
    proposals = LadderProposal.objects.filter(
        staff__in=Staff.objects.filter(led_staff_q(viewer)).values("pk")
    )
    if state:
        proposals = proposals.filter(state=state)
    if period_id:
        proposals = proposals.filter(period_id=period_id)
    return proposals.select_related(
        "period__version__scheme", "staff__org_node", "from_grade", "to_grade", "decided_by"
    ).order_by("-period__start", "period_id", "staff__employee_no", "id")


def ladder_rules() -> QuerySet:
    return LadderRule.objects.select_related("grade").order_by("grade__order")


def rule_promotion_text(rule: LadderRule | None) -> str:
    if rule is None or not rule.is_active or rule.promote_score is None:
        return _("No promotion from this grade.")
    return _("%(n)s consecutive appraisal periods scoring ≥ %(score)s") % {
        "n": rule.promote_periods,
        "score": _number(rule.promote_score),
    }


def rule_demotion_text(rule: LadderRule | None) -> str:
    if rule is None or not rule.is_active or rule.demote_below is None:
        return _("No demotion from this grade.")
    return _("A period scoring below %(score)s moves one grade down") % {"score": _number(rule.demote_below)}


def _number(value: Decimal) -> str:
    """85.00 → 85, 82.50 → 82.5: how people write a mark."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Career:
    staff: Staff
    grade: LadderGrade | None
    next_grade: LadderGrade | None
    rule: LadderRule | None
    history: list[GradeHistory]
    scores: list[ScoreCard]  # his latest cards of approved periods, latest first
    streak: int  # latest periods in a row at or above the promotion mark on his current grade
    needs: str = ""
    demotion: str = ""
    pending: list[LadderProposal] = field(default_factory=list)


def career(*, staff: Staff) -> Career:
    """One person's career page (the caller has checked the viewer may see him: access_staff)."""
    grade = staff.grade
    rule = LadderRule.objects.filter(grade=grade).first() if grade else None
    next_grade = (
        LadderGrade.objects.filter(order__gt=grade.order).order_by("order").first() if grade else None
    )
    history = list(
        GradeHistory.objects.filter(staff=staff).select_related("grade", "previous_grade", "recorded_by")
    )
    wanted = max(rule.promote_periods if rule else 0, 6)
    scores = list(
        ScoreCard.objects.filter(staff=staff, period__state=AppraisalPeriod.State.APPROVED)
        .select_related("period__version__scheme", "grade")
        .order_by("-period__end", "-period_id")[:wanted]
    )
    streak = 0
    if rule and rule.is_active and rule.promote_score is not None:
        follows = None  # the start of the later card's period: a gap ends the run (as ladder_propose)
        for card in scores:
            if card.grade_id != staff.grade_id or card.score < rule.promote_score:
                break
            if follows is not None and card.period.end + timedelta(days=1) != follows:
                break
            streak += 1
            follows = card.period.start
    pending = list(
        LadderProposal.objects.filter(staff=staff, state=LadderProposal.State.PENDING).select_related(
            "period__version__scheme", "to_grade"
        )
    )
    return Career(
        staff=staff,
        grade=grade,
        next_grade=next_grade,
        rule=rule,
        history=history,
        scores=scores,
        streak=streak,
        needs=rule_promotion_text(rule) if next_grade else _("This is the top of the ladder."),
        demotion=rule_demotion_text(rule),
        pending=pending,
    )
