"""Pay components per person and period, and the pay input sheet (.xlsx)."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import translation

from amdesk.appraisal.models import AppraisalPeriod
from amdesk.appraisal.selectors.pay import pay_lines
from amdesk.appraisal.services.pay import pay_sheet_export
from amdesk.clients.models import AumSnapshot
from amdesk.clients.services import client_handover
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory

from .ladder_helpers import card, give_grade, month_period, pay_setup, scheme_version

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def opened_on(owner, day: date, name="张三", aum=None, aum_on=None):
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False):
        client = make_client(owner, name=name)
    if aum is not None:
        AumSnapshot.objects.create(client=client, as_of=aum_on or day, amount=Decimal(aum))
    return client


@pytest.fixture
def february(preset, account_manager, team2_manager, other_manager):
    pay_setup()
    for person in (account_manager, team2_manager, other_manager):
        give_grade(person, "director-1")
    period = month_period(scheme_version(), 2026, 2)
    # The AM: 1,300,000 at the end of February (March's snapshot is later); both clients opened in February.
    first = opened_on(account_manager, date(2026, 2, 3), aum=1_000_000, aum_on=date(2026, 2, 10))
    AumSnapshot.objects.create(client=first, as_of=date(2026, 3, 5), amount=Decimal(2_000_000))
    opened_on(account_manager, date(2026, 2, 4), aum=300_000, aum_on=date(2026, 2, 4))
    # team2: one account opened in February, one in January, no assets: the opening bonus only.
    opened_on(team2_manager, date(2026, 2, 27))
    opened_on(team2_manager, date(2026, 1, 20))
    # other: 5,000,000 but below the grade the 3,000,000 band needs.
    opened_on(other_manager, date(2025, 6, 1), aum=5_000_000, aum_on=date(2025, 12, 31))
    card(period, account_manager, 80)
    card(period, team2_manager, 50)
    card(period, other_manager, 100)
    return period


def by_person(lines):
    return {line.staff.username: line for line in lines}


def test_components_follow_the_bands_grade_and_score(february, appraisal_admin):
    lines = by_person(pay_lines(viewer=appraisal_admin, period=february))

    am = lines["am"]
    assert am.assets == Decimal("1300000.00")
    assert (am.band.name, am.formal_contract, am.base.amount) == ("120万档", True, Decimal("1200.00"))
    assert am.opening_bonus.amount == 0
    assert am.allowance.amount == Decimal("300.00")
    assert (am.performance.amount, am.deferred.amount) == (Decimal("2400.00"), Decimal("480.00"))
    assert am.paid_now == Decimal("3420.00")
    assert "2027-03" in am.deferred.reason and "20" in am.deferred.reason

    newcomer = lines["am_team2"]
    assert (newcomer.band.name, newcomer.base.amount) == ("无业绩", 0)
    assert newcomer.opening_bonus.amount == Decimal("50.00")  # January's account is not February's
    assert newcomer.performance.amount == 0 and "60" in newcomer.performance.reason

    rich = lines["am_other"]
    assert (rich.band.name, rich.base.amount, rich.performance.amount) == (
        "120万档",
        Decimal("1200.00"),
        Decimal("3000.00"),
    )


def test_a_handed_over_client_counts_for_assets_but_not_as_opened(
    february, account_manager, team2_manager, other_manager, admin, appraisal_admin
):
    rich = opened_on(other_manager, date(2025, 1, 5), aum=2_000_000, aum_on=date(2026, 1, 1))
    empty = opened_on(other_manager, date(2025, 1, 6), name="李四")
    with time_machine.travel(datetime(2026, 2, 15, 10, tzinfo=SHANGHAI), tick=False):
        client_handover(actor=admin, client_ids=[rich.pk], to_staff=account_manager, reason="调岗")
        client_handover(actor=admin, client_ids=[empty.pk], to_staff=team2_manager, reason="调岗")

    lines = by_person(pay_lines(viewer=appraisal_admin, period=february))

    assert lines["am"].assets == Decimal("3300000.00")
    assert lines["am"].band.name == "120万档"  # 3,000,000 needs 客户经理一级
    assert lines["am_other"].assets == Decimal("5000000.00")
    # The handed-over client is not his opening.
    assert lines["am_team2"].opening_bonus.amount == Decimal("50.00")


def test_a_quarter_pays_three_months_of_allowance(preset, account_manager, appraisal_admin):
    pay_setup()
    give_grade(account_manager, "director-1")
    quarter = AppraisalPeriod.objects.create(
        version=scheme_version("quarter"),
        kind="quarter",
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        state="approved",
    )
    card(quarter, account_manager, 50)

    [line] = pay_lines(viewer=appraisal_admin, period=quarter)

    assert line.allowance.amount == Decimal("900.00") and "3" in line.allowance.reason


def test_each_viewer_sees_the_lines_in_his_scope(
    february, account_manager, supervisor, other_supervisor, appraisal_admin
):
    assert set(by_person(pay_lines(viewer=account_manager, period=february))) == {"am"}
    assert set(by_person(pay_lines(viewer=supervisor, period=february))) == {"am", "am_team2"}
    assert set(by_person(pay_lines(viewer=other_supervisor, period=february))) == {"am_other"}
    assert set(by_person(pay_lines(viewer=appraisal_admin, period=february))) == {
        "am",
        "am_team2",
        "am_other",
    }


def test_pay_lines_take_a_fixed_number_of_queries(
    february, org, appraisal_admin, django_assert_max_num_queries
):
    for n in range(10):
        person = give_grade(StaffFactory(org_node=org.tm1), "director-1")
        opened_on(person, date(2026, 2, 2), name=f"客户{n}", aum=500_000)
        card(february, person, 70)

    with django_assert_max_num_queries(9):
        lines = pay_lines(viewer=appraisal_admin, period=february)

    assert len(lines) == 13


def test_the_pay_sheet_has_every_component_with_reasons_and_totals(
    february, account_manager, appraisal_admin
):
    account_manager.full_name = "=HYPERLINK(1)"
    account_manager.save()

    with translation.override("zh-hans"):
        content = pay_sheet_export(actor=appraisal_admin, period=february)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[2]
    assert "基本工资" in header and "绩效工资" in header and "递延" in header
    people = {row[1]: row for row in rows[3:6]}
    am = people["=HYPERLINK(1)"]  # a name stays text, never a formula
    assert am[header.index("基本工资")] == 1200
    assert "120万档" in am[header.index("基本工资：依据")]
    total = rows[6]
    assert total[0] == "合计" and total[header.index("本期发放")] == pytest.approx(
        3420 + 50 + 1200 + 300 + 2400 + 300
    )
    assert AuditEntry.objects.filter(event="appraisal.pay_sheet_exported", actor=appraisal_admin).count() == 1


def test_only_the_appraisal_admin_exports_the_pay_sheet(february, supervisor):
    with pytest.raises(PermissionDenied):
        pay_sheet_export(actor=supervisor, period=february)
    assert not AuditEntry.objects.filter(event="appraisal.pay_sheet_exported").exists()
