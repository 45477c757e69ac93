"""Pages: ladder proposals (appraisal admin), the pay sheet, and a person's career."""

import io

import openpyxl
import pytest

from amdesk.appraisal.models import AppraisalPeriod, LadderProposal
from amdesk.appraisal.services.ladder import ladder_propose
from tests.orgs.factories import StaffFactory

from .ladder_helpers import card, give_grade, grade, two_closed_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(preset, account_manager, team2_manager, other_manager, appraisal_admin):
    return two_closed_months(account_manager, team2_manager, other_manager, appraisal_admin)


def test_the_admin_sees_waiting_proposals_and_decides_one_with_a_reason(
    closed, client_for, appraisal_admin, account_manager
):
    web = client_for(appraisal_admin)
    page = web.get("/appraisal/ladder/proposals/").content.decode()
    promotion = LadderProposal.objects.get(staff=account_manager)
    assert "晋级" in page or "Promotion" in page
    assert "连续2个考核期得分≥85" in page and account_manager.full_name in page

    refused = web.post(
        f"/appraisal/ladder/proposals/{promotion.pk}/decide/",
        {"decision": "approve", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "请填写审批理由" in refused.content.decode()
    done = web.post(
        f"/appraisal/ladder/proposals/{promotion.pk}/decide/",
        {"decision": "approve", "reason": "连续优秀"},
        HTTP_HX_REQUEST="true",
    )

    assert done.status_code == 200 and "连续优秀" in done.content.decode()
    account_manager.refresh_from_db()
    assert account_manager.grade == grade("director-2")
    decided = web.get("/appraisal/ladder/proposals/").content.decode()
    assert "连续优秀" in decided and appraisal_admin.full_name in decided


def test_a_reopened_periods_proposals_leave_the_waiting_list(
    closed, client_for, appraisal_admin, account_manager
):
    web = client_for(appraisal_admin)
    proposal = LadderProposal.objects.get(staff=account_manager)
    assert f"proposal-{proposal.pk}" in web.get("/appraisal/ladder/proposals/").content.decode()

    AppraisalPeriod.objects.filter(pk=closed.pk).update(state=AppraisalPeriod.State.COMPUTED)

    assert f"proposal-{proposal.pk}" not in web.get("/appraisal/ladder/proposals/").content.decode()


def test_a_reason_typed_before_an_error_is_kept(closed, client_for, appraisal_admin, team2_manager):
    demotion = LadderProposal.objects.get(staff=team2_manager)

    page = (
        client_for(appraisal_admin)
        .post(
            f"/appraisal/ladder/proposals/{demotion.pk}/decide/",
            {"decision": "maybe", "reason": "我的理由"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )

    assert 'value="我的理由"' in page and "decide-error" in page
    assert LadderProposal.objects.get(pk=demotion.pk).state == "pending"


def test_deciding_a_proposal_someone_else_decided_says_so(closed, client_for, appraisal_admin, team2_manager):
    demotion = LadderProposal.objects.get(staff=team2_manager)
    LadderProposal.objects.filter(pk=demotion.pk).update(state="rejected")

    page = (
        client_for(appraisal_admin)
        .post(
            f"/appraisal/ladder/proposals/{demotion.pk}/decide/",
            {"decision": "approve", "reason": "同意"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )

    assert "该建议已被审批" in page
    team2_manager.refresh_from_db()
    assert team2_manager.grade == grade("director-1")


@pytest.mark.parametrize("who", ["account_manager", "supervisor", "branch_head"])
def test_only_the_appraisal_admin_opens_the_proposals(closed, client_for, request, who):
    web = client_for(request.getfixturevalue(who))
    proposal = LadderProposal.objects.first()
    assert web.get("/appraisal/ladder/proposals/").status_code == 403
    assert (
        web.post(
            f"/appraisal/ladder/proposals/{proposal.pk}/decide/", {"decision": "approve", "reason": "x"}
        ).status_code
        == 403
    )
    assert LadderProposal.objects.get(pk=proposal.pk).state == "pending"


def test_the_proposals_page_does_not_grow_queries_with_people(
    closed, org, client_for, appraisal_admin, django_assert_max_num_queries
):
    web = client_for(appraisal_admin)
    web.get("/appraisal/ladder/proposals/")
    for _n in range(8):
        person = give_grade(StaffFactory(org_node=org.tm1), "director-1")
        card(closed, person, 10)
    LadderProposal.objects.all().delete()
    ladder_propose(period=closed, actor=appraisal_admin)
    with django_assert_max_num_queries(12):
        assert web.get("/appraisal/ladder/proposals/").status_code == 200


def test_pay_sheet_page_is_scoped_and_the_admin_downloads_it(
    closed, client_for, appraisal_admin, supervisor, account_manager, django_assert_max_num_queries
):
    admin_page = (
        client_for(appraisal_admin).get(f"/appraisal/ladder/pay/?period={closed.pk}").content.decode()
    )
    assert all(f"pay-row-{u}" in admin_page for u in ("am", "am_team2", "am_other"))
    assert "pay-download" in admin_page

    team_web = client_for(supervisor)
    with django_assert_max_num_queries(20):
        team_page = team_web.get(f"/appraisal/ladder/pay/?period={closed.pk}").content.decode()
    assert (
        "pay-row-am" in team_page and "pay-row-am_team2" in team_page and "pay-row-am_other" not in team_page
    )
    assert "pay-download" not in team_page
    assert team_web.get(f"/appraisal/ladder/pay/sheet.xlsx?period={closed.pk}").status_code == 403

    response = client_for(appraisal_admin).get(f"/appraisal/ladder/pay/sheet.xlsx?period={closed.pk}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(3, 9).value == "基本工资"
    assert sheet.max_row == 3 + 3 + 1  # title, blank, header; three people; totals


def test_a_bad_period_is_not_found(closed, client_for, appraisal_admin):
    web = client_for(appraisal_admin)
    assert web.get("/appraisal/ladder/pay/?period=abc").status_code == 404
    assert web.get("/appraisal/ladder/pay/?period=999999").status_code == 404


def test_my_career_shows_grade_history_what_the_next_grade_needs_and_pay(closed, client_for, account_manager):
    page = client_for(account_manager).get("/appraisal/ladder/career/").content.decode()

    assert "客户主任" in page  # his tier and grade
    assert "连续2个考核期得分≥85" in page
    assert "目前已连续 2 / 2 期" in page
    assert "91.00" in page and "88.00" in page
    assert "入职定级" in page  # grade history
    assert "绩效工资" in page and "pay-components" in page


def test_a_supervisor_opens_his_team_members_career_but_nobody_elses(
    closed, client_for, supervisor, account_manager, other_manager
):
    web = client_for(supervisor)
    assert web.get(f"/appraisal/ladder/career/{account_manager.pk}/").status_code == 200
    assert web.get(f"/appraisal/ladder/career/?staff={account_manager.pk}").status_code == 200
    assert web.get(f"/appraisal/ladder/career/{other_manager.pk}/").status_code == 404
    assert web.get("/appraisal/ladder/career/?staff=x").status_code == 404


def test_an_account_manager_opens_only_his_own_career(closed, client_for, account_manager, team2_manager):
    web = client_for(account_manager)
    assert web.get(f"/appraisal/ladder/career/{team2_manager.pk}/").status_code == 404
    assert web.get(f"/appraisal/ladder/career/{account_manager.pk}/").status_code == 200
