"""Factories of the ladder and pay tests: a scheme, its periods and score cards, rules and bands."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from amdesk.appraisal.models import AppraisalPeriod, LadderRule, Scheme, SchemeVersion, ScoreCard
from amdesk.orgs.models import LadderGrade
from amdesk.orgs.services import staff_set_grade

_codes = itertools.count(1)


def grade(code: str) -> LadderGrade:
    """A grade of the preset's ladder: specialist, director-1 … senior-3."""
    return LadderGrade.objects.get(code=code)


def give_grade(staff, code: str, effective_on=date(2025, 1, 1)):
    staff_set_grade(actor=None, staff=staff, grade=grade(code), effective_on=effective_on, reason="入职定级")
    staff.refresh_from_db()
    return staff


def rule(code: str, promote_score=None, promote_periods=2, demote_below=None) -> LadderRule:
    found, _ = LadderRule.objects.update_or_create(
        grade=grade(code),
        defaults={
            "promote_score": None if promote_score is None else Decimal(str(promote_score)),
            "promote_periods": promote_periods,
            "demote_below": None if demote_below is None else Decimal(str(demote_below)),
            "is_active": True,
        },
    )
    return found


def scheme_version(kind: str = "month") -> SchemeVersion:
    scheme = Scheme.objects.create(code=f"ladder-{next(_codes)}", name="客户经理月度考核", period_kind=kind)
    return SchemeVersion.objects.create(scheme=scheme, number=1, state=SchemeVersion.State.ACTIVE)


def month_period(version, year: int, month: int, state=AppraisalPeriod.State.APPROVED) -> AppraisalPeriod:
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return AppraisalPeriod.objects.create(version=version, kind="month", start=start, end=end, state=state)


def card(period, staff, score, grade_=None) -> ScoreCard:
    """His card of the period; the grade snapshot is his grade now unless given."""
    return ScoreCard.objects.create(
        period=period,
        staff=staff,
        org_node=staff.org_node,
        grade=grade_ if grade_ is not None else staff.grade,
        score=Decimal(str(score)),
    )
