"""DISC job fit: the match calculation (API), profiles (audited, HR only), ranking and the pages."""

import pytest
from django.urls import reverse

from amdesk.appraisal.models import AppraisalSettings, DiscProfile
from amdesk.appraisal.services.disc import disc_profile_save
from amdesk.core.models import AuditEntry
from tests.appraisal.people_helpers import disc_model, profile, scores

pytestmark = pytest.mark.django_db

MATCH_URL = "/api/v1/appraisal/disc-match/"
BANK_A = scores(32, 72, 46, 57)


def test_disc_match_gives_absolute_difference_per_factor_and_their_mean(api_for, account_manager):
    response = api_for(account_manager).post(
        MATCH_URL, {"model": BANK_A, "style": scores(40, 60, 50, 57)}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"per_factor": {"D": 8.0, "I": 12.0, "S": 4.0, "C": 0.0}, "overall": 6.0}


@pytest.mark.parametrize(
    ("style", "said"),
    [
        ({"D": 40, "I": 60, "S": 50}, "缺少 C"),
        ({"D": 40, "I": 60, "S": 50, "C": 57, "X": 1}, "未知的 X"),
        ({"D": 40, "I": 60, "S": 50, "C": 101}, "C 的分数必须在 0 到 100 之间"),
        ({"D": -1, "I": 60, "S": 50, "C": 57}, "D 的分数必须在 0 到 100 之间"),
        ({"D": "四十", "I": 60, "S": 50, "C": 57}, "D 的分数不是数字"),
    ],
)
def test_disc_match_refuses_a_bad_style_with_a_chinese_reason(api_for, account_manager, style, said):
    response = api_for(account_manager).post(MATCH_URL, {"model": BANK_A, "style": style}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert said in " ".join(body["fields"]["style"])


def test_profile_save_is_audited_and_hr_only(appraisal_admin, account_manager, supervisor):
    saved = profile(appraisal_admin, staff=account_manager, outer=(30, 70, 45, 60))

    entry = AuditEntry.objects.get(event="appraisal.disc_profile", target_id=str(saved.pk))
    assert entry.actor == appraisal_admin
    assert entry.detail["outer"] == scores(30, 70, 45, 60)
    with pytest.raises(Exception, match="考核管理员"):
        profile(supervisor, candidate="外部候选人")
    assert DiscProfile.objects.count() == 1


def test_stale_profile_edit_is_refused(appraisal_admin, account_manager):
    from django.core.exceptions import ValidationError

    from amdesk.appraisal.selectors.disc import profile_fingerprint

    saved = profile(appraisal_admin, staff=account_manager)
    read = profile_fingerprint(saved)
    disc_profile_save(
        actor=appraisal_admin,
        profile=saved,
        staff=account_manager,
        inner=scores(1, 2, 3, 4),
        outer=scores(1, 2, 3, 4),
        expected=read,
    )

    with pytest.raises(ValidationError, match="其他人"):
        disc_profile_save(
            actor=appraisal_admin,
            profile=saved,
            staff=account_manager,
            inner=scores(9, 9, 9, 9),
            outer=scores(9, 9, 9, 9),
            expected=read,
        )
    saved.refresh_from_db()
    assert saved.inner == scores(1, 2, 3, 4)


def test_candidates_rank_by_the_style_the_settings_name(appraisal_admin, api_for):
    # Given three candidates: 王 fits the bank's model A on his outer style, 李 on his inner one
    model = disc_model()
    profile(appraisal_admin, candidate="王", outer=(32, 72, 46, 57), inner=(90, 10, 90, 10))
    profile(appraisal_admin, candidate="李", outer=(90, 10, 90, 10), inner=(32, 70, 46, 57))
    profile(appraisal_admin, candidate="赵", outer=(40, 60, 50, 50), inner=(40, 60, 50, 50))
    api = api_for(appraisal_admin)

    # When ranked by the outer style (the default), then by the inner one
    by_outer = api.get("/api/v1/appraisal/disc-ranking/", {"model": model.pk}).json()
    settings = AppraisalSettings.current()
    settings.disc_rank_by = "inner"
    settings.save()
    by_inner = api.get("/api/v1/appraisal/disc-ranking/", {"model": model.pk}).json()

    # Then the best match comes first, with its per-factor differences
    assert [row["name"] for row in by_outer] == ["王", "赵", "李"]
    assert by_outer[0]["per_factor"] == {"D": 0.0, "I": 0.0, "S": 0.0, "C": 0.0}
    assert by_outer[1]["overall"] == pytest.approx((8 + 12 + 4 + 7) / 4)
    assert [row["name"] for row in by_inner] == ["李", "赵", "王"]


def test_disc_page_ranks_candidates_and_explains_the_formula(
    client_for, appraisal_admin, django_assert_max_num_queries
):
    model = disc_model()
    for n in range(6):
        profile(appraisal_admin, candidate=f"候选人{n}", outer=(30 + n, 70, 46, 57))
    browser = client_for(appraisal_admin)

    with django_assert_max_num_queries(15):
        response = browser.get(reverse("appraisal:disc"), {"model": model.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "平均" in page and "绝对差" in page  # the note on the formula
    assert page.index("候选人2") < page.index("候选人0")  # 32 matches D exactly


@pytest.mark.parametrize("who", ["account_manager", "supervisor", "branch_head"])
def test_disc_pages_and_api_are_for_the_appraisal_admin_only(
    request, client_for, api_for, appraisal_admin, who
):
    user = request.getfixturevalue(who)
    saved = profile(appraisal_admin, candidate="候选人")
    browser = client_for(user)

    assert browser.get(reverse("appraisal:disc")).status_code == 403
    assert browser.get(reverse("appraisal:disc-profile-edit", args=[saved.pk])).status_code == 403
    assert api_for(user).get("/api/v1/appraisal/disc-profiles/").status_code == 403
    assert api_for(user).get("/api/v1/appraisal/disc-models/").status_code == 403


def test_system_admin_sees_the_disc_page(client_for, admin):
    assert client_for(admin).get(reverse("appraisal:disc")).status_code == 200


def test_profile_form_keeps_what_was_typed_on_error(client_for, appraisal_admin):
    browser = client_for(appraisal_admin)
    data = {
        "candidate_name": "陈某",
        "assessed_on": "2026-03-01",
        "inner_d": "30",
        "inner_i": "70",
        "inner_s": "40",
        "inner_c": "150",
    }
    data.update({"outer_d": "31", "outer_i": "71", "outer_s": "41", "outer_c": "51"})

    response = browser.post(reverse("appraisal:disc-profile-create"), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "C 的分数必须在 0 到 100 之间" in page
    assert 'value="陈某"' in page and 'value="150"' in page
    assert not DiscProfile.objects.exists()


def test_profile_api_creates_a_candidate(api_for, appraisal_admin):
    response = api_for(appraisal_admin).post(
        "/api/v1/appraisal/disc-profiles/",
        {"candidate_name": "周某", "inner": BANK_A, "outer": scores(30, 70, 40, 50)},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["outer"] == scores(30, 70, 40, 50)


def test_ranking_needs_a_job_model(api_for, appraisal_admin):
    response = api_for(appraisal_admin).get("/api/v1/appraisal/disc-ranking/")

    assert response.status_code == 400
    assert "请给出岗位模型的编号" in response.json()["fields"]["model"][0]
    assert (
        api_for(appraisal_admin).get("/api/v1/appraisal/disc-ranking/", {"model": 999999}).status_code == 404
    )
