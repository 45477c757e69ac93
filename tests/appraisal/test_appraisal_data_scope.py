"""Appraisal data about people (pay components, ladder proposals, manual values, training credits)
is read by the person, by those who lead him (supervisor, head) and by the appraisal admin: a product
or risk manager who reads the team's clients does not read his colleagues' pay or moves."""

from datetime import date
from decimal import Decimal

import pytest

from amdesk.appraisal.models import LadderProposal, ManualValue, TrainingAttendance, TrainingSession
from amdesk.appraisal.selectors.ladder import ladder_proposals
from amdesk.appraisal.selectors.library import manual_values_for
from amdesk.appraisal.selectors.pay import pay_lines
from amdesk.appraisal.selectors.training import training_credits
from amdesk.orgs.models import LadderGrade
from tests.orgs.factories import StaffFactory

from .periods_helpers import MAY, MAY_END, computed_may

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)}
    )


@pytest.fixture
def colleagues(org, supervisor):
    return {
        code: StaffFactory(username=code, org_node=org.tm1, roles=[code], supervisor=supervisor)
        for code in ("product_manager", "risk_manager")
    }


def _people_seen(viewer, may, account_manager):
    grades = list(LadderGrade.objects.order_by("order")[:2])
    LadderProposal.objects.get_or_create(
        period=may,
        staff=account_manager,
        defaults={"direction": "promote", "from_grade": grades[0], "to_grade": grades[1], "basis": "测试"},
    )
    sales = ManualValue.objects.filter(staff=account_manager).first()
    session, _ = TrainingSession.objects.get_or_create(
        topic="理财",
        held_on=date(2026, 5, 6),
        hours=Decimal(2),
        trainer="李",
        org_node=account_manager.org_node,
    )
    TrainingAttendance.objects.get_or_create(session=session, staff=account_manager, defaults={"credits": 2})
    return {
        "pay": {line.staff.pk for line in pay_lines(viewer=viewer, period=may)},
        "ladder": set(ladder_proposals(viewer=viewer).values_list("staff_id", flat=True)),
        "manual": set(
            manual_values_for(viewer=viewer, indicator=sales.indicator).values_list("staff_id", flat=True)
        ),
        "training": {row["staff_id"] for row in training_credits(viewer=viewer, start=MAY, end=MAY_END)},
    }


@pytest.mark.parametrize("code", ["product_manager", "risk_manager"])
def test_a_colleague_who_reads_the_team_does_not_read_their_appraisal(may, colleagues, account_manager, code):
    seen = _people_seen(colleagues[code], may, account_manager)
    assert seen == {"pay": set(), "ladder": set(), "manual": set(), "training": set()}


def test_the_supervisor_the_person_and_the_admin_do(
    may, colleagues, account_manager, supervisor, appraisal_admin, other_supervisor
):
    for viewer in (account_manager, supervisor, appraisal_admin):
        seen = _people_seen(viewer, may, account_manager)
        assert all(account_manager.pk in people for people in seen.values()), viewer
    # A supervisor of another team sees none of it
    seen = _people_seen(other_supervisor, may, account_manager)
    assert not any(account_manager.pk in people for people in seen.values())
