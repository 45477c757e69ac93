"""Review of the periods area: who sees whose score card and who signs a team off (the appraisal's
own scope, not the client read scope), and bad ids or revisions typed into the period forms."""

import pytest
from django.urls import reverse

from amdesk.appraisal.models import AppraisalPeriod, TeamSignOff
from tests.orgs.factories import StaffFactory

from .periods_helpers import computed_may

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "99999999999999999999"]


@pytest.fixture
def may(appraisal_admin, account_manager, team2_manager, other_manager):
    return computed_may(
        appraisal_admin, {account_manager: (50, 2), team2_manager: (70, 1), other_manager: (90, 0)}
    )


@pytest.mark.parametrize("role", ["product_manager", "risk_manager", "service_desk"])
def test_a_colleague_who_only_reads_the_team_sees_no_one_elses_score(client_for, api_for, org, may, role):
    # Given a product manager (risk manager, service desk) in the AM's team: his role reads the
    # team's clients, but appraisal scores are for the team's supervisor and head.
    colleague = StaffFactory(username="colleague", full_name="产品岗", org_node=org.tm1, roles=[role])
    am_card = may.cards.get(staff__username="am")

    api = api_for(colleague)
    listed = api.get("/api/v1/appraisal/cards/", {"period": may.pk})
    detail = api.get(f"/api/v1/appraisal/cards/{am_card.pk}/")
    page = client_for(colleague).get(reverse("appraisal:card-detail", args=[am_card.pk]))
    team_page = client_for(colleague).get(reverse("appraisal:team"))

    assert listed.status_code == 200 and listed.json()["results"] == []
    assert detail.status_code == 404 and page.status_code == 404
    assert team_page.status_code == 403


def test_a_colleague_who_only_reads_the_team_cannot_sign_its_sheet_off(client_for, api_for, org, may):
    colleague = StaffFactory(username="pm", full_name="产品岗", org_node=org.tm1, roles=["product_manager"])

    answer = api_for(colleague).post(
        f"/api/v1/appraisal/periods/{may.pk}/sign-off/", {"org_node": org.tm1.pk}, format="json"
    )
    client_for(colleague).post(reverse("appraisal:period-sign-off", args=[may.pk]), {"org_node": org.tm1.pk})

    assert answer.status_code == 403
    assert not TeamSignOff.objects.filter(period=may).exists()


def test_the_supervisor_head_and_admin_still_see_their_scope(
    api_for, may, supervisor, branch_head, appraisal_admin
):
    def seen(user):
        answer = api_for(user).get("/api/v1/appraisal/cards/", {"period": may.pk})
        return {card["staff"]["name"] for card in answer.json()["results"]}

    assert seen(supervisor) == {"苏婷瑶", "钟欢岚"}
    assert seen(branch_head) == {"苏婷瑶", "钟欢岚", "郭佳"}
    assert seen(appraisal_admin) == {"苏婷瑶", "钟欢岚", "郭佳"}


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_team_id_on_the_sign_off_form_is_refused_in_chinese(client_for, supervisor, may, bad):
    response = client_for(supervisor).post(
        reverse("appraisal:period-sign-off", args=[may.pk]), {"org_node": bad}, follow=True
    )

    assert response.status_code == 200
    assert "请选择要签收的团队" in response.content.decode()
    assert not TeamSignOff.objects.filter(period=may).exists()


@pytest.mark.parametrize("bad", ["²", "abc", "-1", "99999999999999999999"])
def test_a_garbled_revision_loses_like_a_stale_one(client_for, supervisor, appraisal_admin, org, may, bad):
    # A revision that is not a number cannot be compared: it must not skip the check.
    signed = client_for(supervisor).post(
        reverse("appraisal:period-sign-off", args=[may.pk]),
        {"org_node": org.tm1.pk, "revision": bad},
        follow=True,
    )
    approved = client_for(appraisal_admin).post(
        reverse("appraisal:period-approve", args=[may.pk]), {"revision": bad}, follow=True
    )

    assert signed.status_code == 200 and "请刷新页面后重试" in signed.content.decode()
    assert not TeamSignOff.objects.filter(period=may).exists()
    assert approved.status_code == 200
    assert AppraisalPeriod.objects.get(pk=may.pk).state == AppraisalPeriod.State.COMPUTED


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_scheme_id_on_the_open_form_is_refused_in_chinese(client_for, appraisal_admin, may, bad):
    response = client_for(appraisal_admin).post(
        reverse("appraisal:period-open"), {"scheme": bad, "start": "2026-06-01"}, follow=True
    )

    assert response.status_code == 200
    assert "请选择方案和考核期内的任一日期" in response.content.decode()
    assert AppraisalPeriod.objects.count() == 1


def test_the_api_names_an_unknown_team_or_scheme_in_chinese(api_for, supervisor, appraisal_admin, may):
    team = api_for(supervisor).post(
        f"/api/v1/appraisal/periods/{may.pk}/sign-off/", {"org_node": 999999}, format="json"
    )
    scheme = api_for(appraisal_admin).post(
        "/api/v1/appraisal/periods/", {"scheme": 999999, "start": "2026-06-01"}, format="json"
    )

    assert team.status_code == 400 and team.json()["fields"]["org_node"] == ["没有这个团队。"]
    assert scheme.status_code == 400 and scheme.json()["fields"]["scheme"] == ["没有这个考核方案。"]


def test_the_team_appraisal_desk_card_costs_the_same_for_more_periods(
    client_for, supervisor, appraisal_admin, may
):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amdesk.appraisal.services.runs import period_open, period_run

    browser = client_for(supervisor)
    browser.get(reverse("desk:home"))
    with CaptureQueriesContext(connection) as one_period:
        first = browser.get(reverse("desk:home")).content.decode()
    for month in (6, 7, 8):
        period_run(
            actor=appraisal_admin,
            period=period_open(actor=appraisal_admin, scheme=may.version.scheme, start=date(2026, month, 1)),
        )
    with CaptureQueriesContext(connection) as four_periods:
        later = browser.get(reverse("desk:home")).content.decode()

    assert first.count('data-testid="desk-sign-off-due"') == 1
    assert later.count('data-testid="desk-sign-off-due"') == 4
    assert len(four_periods) == len(one_period)
