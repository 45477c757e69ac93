"""Factories of the ladder and pay tests: a scheme, its periods and score cards, rules and bands."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from amdesk.appraisal.models import (
    AppraisalPeriod,
    GradeAllowance,
    LadderRule,
    PayBand,
    PaySettings,
    Scheme,
    SchemeVersion,
    ScoreCard,
)
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


def pay_setup():
    """The brokerage bands of seed 001, a grade allowance and the performance pay settings (in place
    of what the preset seeds, so the tests read their own numbers)."""
    PayBand.objects.all().delete()
    GradeAllowance.objects.all().delete()
    PayBand.objects.create(name="无业绩", min_aum=0, opening_bonus_only=True, order=1)
    PayBand.objects.create(name="30万档", min_aum=300_000, base_monthly=900, order=2)
    PayBand.objects.create(
        name="120万档", min_aum=1_200_000, base_monthly=1200, formal_contract=True, order=3
    )
    PayBand.objects.create(
        name="300万档",
        min_aum=3_000_000,
        base_monthly=2000,
        min_grade=grade("manager-1"),
        formal_contract=True,
        order=4,
    )
    PayBand.objects.create(name="停用档", min_aum=100, base_monthly=99999, is_active=False, order=5)
    GradeAllowance.objects.create(grade=grade("director-1"), monthly=300)
    settings = PaySettings.current()
    settings.opening_bonus = Decimal("50")
    settings.performance_pay_full = Decimal("3000")
    settings.performance_floor_score = Decimal("60")
    settings.deferred_percent = 20
    settings.deferred_months = 12
    settings.save()


def two_closed_months(account_manager, team2_manager, other_manager, appraisal_admin) -> AppraisalPeriod:
    """January and February approved with pay bands set: the AM twice above 85 (a promotion is
    proposed), team2 below 60 in February (a demotion), the other AM in between. Returns February."""
    from amdesk.appraisal.services.ladder import ladder_propose

    pay_setup()
    LadderRule.objects.all().delete()
    rule("director-1", promote_score=85, promote_periods=2, demote_below=60)
    people = (account_manager, team2_manager, other_manager)
    for person in people:
        give_grade(person, "director-1")
    version = scheme_version()
    jan, feb = month_period(version, 2026, 1), month_period(version, 2026, 2)
    for period, scores in ((jan, (88, 70, 75)), (feb, (91, 40, 75))):
        for person, score in zip(people, scores, strict=True):
            card(period, person, score)
    ladder_propose(period=feb, actor=appraisal_admin)
    return feb
