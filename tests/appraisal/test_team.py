"""The supervisor's team page, sign-off, the admin's pages, the desk cards and query counts."""

import pytest
from django.urls import reverse

from amdesk.appraisal.models import AppraisalPeriod, TeamSignOff
from tests.orgs.factories import StaffFactory

from .periods_helpers import computed_may, manual

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (80, 4), team2_manager: (50, 0), other_manager: (30, 10)}
    )


def test_team_page_shows_only_the_supervisors_people(may, client_for, supervisor):
    html = client_for(supervisor).get(reverse("appraisal:team")).content.decode()
    assert 'data-testid="card-row-am"' in html and 'data-testid="card-row-am_team2"' in html
    assert "am_other" not in html
    # the distribution: 72 and 70 both in the 70–79 bucket
    assert 'data-testid="bucket-70">2<' in html
    assert 'data-testid="sign-off-TM1"' in html and 'data-testid="sign-off-TM3"' not in html


def test_an_account_manager_has_no_team_page(may, client_for, account_manager):
    assert client_for(account_manager).get(reverse("appraisal:team")).status_code == 403


def test_supervisor_signs_off_from_the_team_page(may, client_for, supervisor, org):
    browser = client_for(supervisor)
    page = browser.post(
        reverse("appraisal:period-sign-off", args=[may.pk]),
        {"org_node": org.tm1.pk, "revision": may.revision},
        follow=True,
    )
    assert "团队考核表已上交" in page.content.decode()
    assert TeamSignOff.objects.filter(period=may, org_node=org.tm1, signed_by=supervisor).exists()
    # a stale form loses with a clear message
    stale = browser.post(
        reverse("appraisal:period-sign-off", args=[may.pk]),
        {"org_node": org.tm2.pk, "revision": may.revision},
        follow=True,
    )
    assert "请刷新页面后重试" in stale.content.decode()
    assert not TeamSignOff.objects.filter(org_node=org.tm2).exists()


def test_admin_runs_approves_and_reopens_from_the_pages(
    may, client_for, appraisal_admin, supervisor, other_supervisor, org
):
    browser = client_for(appraisal_admin)
    detail = reverse("appraisal:period-detail", args=[may.pk])
    refused = browser.post(reverse("appraisal:period-approve", args=[may.pk]), follow=True).content.decode()
    assert "以下团队尚未上交考核表" in refused and "公司金融团队" in refused
    for person, node in ((supervisor, org.tm1), (supervisor, org.tm2), (other_supervisor, org.tm3)):
        TeamSignOff.objects.create(period=may, org_node=node, signed_by=person, signed_at=may.computed_at)
    browser.post(reverse("appraisal:period-approve", args=[may.pk]))
    may.refresh_from_db()
    assert may.state == AppraisalPeriod.State.APPROVED
    empty = browser.post(reverse("appraisal:period-reopen", args=[may.pk]), {"reason": " "})
    assert empty.status_code == 400 and "请填写原因" in empty.content.decode()
    browser.post(reverse("appraisal:period-reopen", args=[may.pk]), {"reason": "复核投诉"})
    may.refresh_from_db()
    assert may.state == AppraisalPeriod.State.COMPUTED
    assert browser.get(detail).status_code == 200


def test_admin_pages_are_the_admins(may, client_for, supervisor):
    browser = client_for(supervisor)
    for name in ("admin-overview", "period-list"):
        assert browser.get(reverse(f"appraisal:{name}")).status_code == 403
    assert browser.post(reverse("appraisal:period-run", args=[may.pk])).status_code == 403


def test_overview_lists_what_waits(may, client_for, appraisal_admin):
    html = client_for(appraisal_admin).get(reverse("appraisal:admin-overview")).content.decode()
    assert "缺 3 份团队考核表" in html
    assert 'data-testid="ladder-waiting"' in html


def test_period_cards_page_queries_do_not_grow(
    may, client_for, appraisal_admin, org, django_assert_max_num_queries
):
    from amdesk.appraisal.services.runs import period_run

    browser = client_for(appraisal_admin)
    url = reverse("appraisal:period-detail", args=[may.pk])
    browser.get(url)
    sales = may.version.criteria.get(name="业绩").indicators.get().indicator
    for n in range(15):
        manual(sales, StaffFactory(username=f"extra{n}", org_node=org.tm2 if n % 2 else org.tm3), n * 5)
    period_run(actor=appraisal_admin, period=may)
    with django_assert_max_num_queries(16):
        assert browser.get(url).status_code == 200


def test_desk_cards(may, client_for, account_manager, supervisor, appraisal_admin):
    mine = client_for(account_manager).get(reverse("desk:home")).content.decode()
    assert 'data-testid="desk-my-score">72.00<' in mine
    team = client_for(supervisor).get(reverse("desk:home")).content.decode()
    assert "2 个团队须在" in team
    hr = client_for(appraisal_admin).get(reverse("desk:home")).content.decode()
    assert 'data-testid="desk-sign-offs-missing">3<' in hr
    assert 'data-testid="desk-periods-to-approve">1<' in hr


def test_planning_board_flags_missing_appraisal_sheets(may, client_for, supervisor, org):
    from amdesk.appraisal.services.periods import team_sign_off

    team_sign_off(actor=supervisor, period=may, org_node=org.tm1)
    html = client_for(supervisor).get(reverse("planning:board")).content.decode()
    assert html.count('data-testid="board-appraisal-missing"') == 1
    assert "个人金融团队 的考核表未上交" in html


def test_team_page_queries_do_not_grow(
    may, client_for, appraisal_admin, branch_head, org, django_assert_max_num_queries
):
    from amdesk.appraisal.services.runs import period_run

    browser = client_for(branch_head)
    url = reverse("appraisal:team")
    sales = may.version.criteria.get(name="业绩").indicators.get().indicator
    for n in range(12):
        manual(sales, StaffFactory(username=f"more{n}", org_node=org.tm1 if n % 2 else org.tm3), n * 7)
    period_run(actor=appraisal_admin, period=may)
    browser.get(url)
    # (the staffing ratios beside the results: three queries whatever the number of teams)
    with django_assert_max_num_queries(19):
        html = browser.get(url).content.decode()
    assert html.count('data-testid="card-row-') == 15
