"""Ids typed into the appraisal pages' forms and query strings: a "²" (a digit to str.isdigit(), not
to int()) or an id past the database's range is refused like any wrong choice, never a 500."""

import pytest
from django.urls import reverse

from amdesk.appraisal.selectors.schemes import draft_stamp
from tests.appraisal.people_helpers import role, share_defaults
from tests.clients.factories import make_client

from .schemes_helpers import complete_scheme

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "99999999999999999999"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_training_form_refuses_a_bad_node_and_ignores_bad_attendees(client_for, supervisor, org, bad):
    browser = client_for(supervisor)
    fields = {"topic": "合规培训", "held_on": "2026-03-12", "hours": "2", "trainer": "李老师", "credits": "2"}

    refused = browser.post(reverse("appraisal:training-session-create"), {**fields, "org_node": bad})
    assert refused.status_code == 400
    assert "请选择培训所属的团队、网点或分行" in refused.content.decode()

    created = browser.post(reverse("appraisal:training-session-create"), {**fields, "org_node": org.tm1.pk})
    form = browser.get(created["Location"])
    saved = browser.post(
        created["Location"],
        {
            **fields,
            "org_node": org.tm1.pk,
            "attended": [bad],
            "expected": form.context["expected"],
            "expected_attendance": form.context["expected_attendance"],
        },
    )
    assert saved.status_code == 302


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_selling_team_page_refuses_a_bad_member_in_chinese(client_for, account_manager, bad):
    share_defaults(account_manager=60, product_manager=20, risk_manager=20)
    client = make_client(account_manager, name="核心客户甲")
    browser = client_for(account_manager)
    url = reverse("appraisal:selling-team", args=[client.pk])
    expected = browser.get(url).context["expected"]

    response = browser.post(
        url, {"expected": expected, "staff-0": bad, "role-0": role("account_manager").pk, "share-0": "100"}
    )

    assert response.status_code == 400
    assert "请为每位成员选择人员和岗位" in response.content.decode()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_disc_pages_take_a_bad_model_or_staff_id_without_failing(client_for, appraisal_admin, bad):
    browser = client_for(appraisal_admin)

    assert browser.get(reverse("appraisal:disc"), {"model": bad}).status_code == 200
    response = browser.post(reverse("appraisal:disc-profile-create"), {"staff": bad})
    assert response.status_code == 404


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_scheme_editor_answers_not_found_for_a_bad_criterion(client_for, appraisal_admin, bad):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    browser = client_for(appraisal_admin)
    url = reverse("appraisal:scheme-edit", args=[scheme.pk])

    renamed = browser.post(
        url, {"action": "rename-criterion", "criterion": bad, "name": "新", "stamp": draft_stamp(draft)}
    )
    preview = browser.post(reverse("appraisal:scheme-matrix-preview", args=[scheme.pk]), {"level": bad})

    assert renamed.status_code == 404 and preview.status_code == 404
