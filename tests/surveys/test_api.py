"""The survey API: scope matrix (404, not 403), answers recorded by the AM, the index, schema names."""

import pytest
from rest_framework.test import APIClient

from amdesk.surveys.models import SurveyInvitation, SurveyResponse
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_questionnaire, make_round, questions_of

ROLES = ["account_manager", "team2_manager", "supervisor", "other_supervisor", "branch_head", "admin"]
SEES = {
    "account_manager": {"mine"},
    "team2_manager": {"team2"},
    "supervisor": {"mine", "team2"},
    "other_supervisor": {"other"},
    "branch_head": {"mine", "team2", "other"},
    "admin": {"mine", "team2", "other"},
}
MANAGES = {"supervisor", "other_supervisor", "branch_head", "admin"}


@pytest.fixture
def world(admin, account_manager, team2_manager, other_manager):
    questionnaire = make_questionnaire(admin)
    clients = {
        "mine": make_client(account_manager, "王小明", tier="key", lifecycle="won"),
        "team2": make_client(team2_manager, "李四", tier="key", lifecycle="won"),
        "other": make_client(other_manager, "赵敏", tier="key", lifecycle="won"),
    }
    survey_round = make_round(admin, questionnaire)
    invitations = {name: invitation_of(survey_round, client) for name, client in clients.items()}
    answer(invitations["team2"], rating5=4, rating10=7)
    answer(invitations["other"], rating5=5, rating10=10)
    return questionnaire, survey_round, invitations


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_invitation_scope_matrix(role, request, world, api_for):
    _q, _round, invitations = world
    api = api_for(request.getfixturevalue(role))
    listed = {row["id"] for row in _results(api.get("/api/v1/survey-invitations/"))}
    assert listed == {invitations[name].pk for name in SEES[role]}
    for name, invitation in invitations.items():
        expected = 200 if name in SEES[role] else 404
        assert api.get(f"/api/v1/survey-invitations/{invitation.pk}/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_recording_answers_matrix(role, request, world, api_for):
    questionnaire, _round, invitations = world
    questions = questions_of(questionnaire)
    body = {
        "mode": "phone",
        "answers": [
            {"question": questions["服务态度"].pk, "number": 5},
            {"question": questions["专业能力"].pk, "number": 9},
            {"question": questions["推荐意愿"].pk, "number": 10},
            {"question": questions["联系方式"].pk, "options": [questions["联系方式"].options.first().pk]},
            {"question": questions["意见建议"].pk, "text": "很好"},
        ],
    }
    response = api_for(request.getfixturevalue(role)).post(
        f"/api/v1/survey-invitations/{invitations['mine'].pk}/answers/", body, format="json"
    )
    if "mine" in SEES[role]:
        assert response.status_code == 201, response.json()
        assert response.json()["state"] == "answered"
        assert response.json()["response"]["mode"] == "phone"
        assert float(response.json()["response"]["index"]) == pytest.approx((3 * 100 + 88.89) / 4, abs=0.01)
    else:
        assert response.status_code == 404
        assert not SurveyResponse.objects.filter(invitation=invitations["mine"]).exists()


@pytest.mark.django_db
def test_answer_errors_are_keyed_by_question(world, api_for, account_manager):
    questionnaire, _round, invitations = world
    questions = questions_of(questionnaire)
    response = api_for(account_manager).post(
        f"/api/v1/survey-invitations/{invitations['mine'].pk}/answers/",
        {"answers": [{"question": questions["服务态度"].pk, "number": 9}]},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {f"q{questions[t].pk}" for t in ("服务态度", "专业能力", "推荐意愿")} <= set(fields)
    # an answered invitation is not answered twice
    response = api_for(account_manager).post(
        f"/api/v1/survey-invitations/{invitations['team2'].pk}/answers/", {"answers": []}, format="json"
    )
    assert response.status_code == 404  # not his client
    invitations["mine"].refresh_from_db()
    assert invitations["mine"].state == SurveyInvitation.State.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_round_list_and_detail(role, request, world, api_for):
    _q, survey_round, _invitations = world
    api = api_for(request.getfixturevalue(role))
    rows = _results(api.get("/api/v1/survey-rounds/"))
    assert [row["id"] for row in rows] == [survey_round.pk]
    row = rows[0]
    assert row["invited"] == len(SEES[role])
    answered = len(SEES[role] & {"team2", "other"})
    assert row["answered"] == answered
    assert row["response_rate"] == round(100 * answered / len(SEES[role]), 1)
    detail = api.get(f"/api/v1/survey-rounds/{survey_round.pk}/")
    assert detail.status_code == 200
    assert len(detail.json()["per_owner"]) == len(SEES[role])


@pytest.mark.django_db
def test_round_not_shown_to_an_uninvited_manager(admin, account_manager, api_for, world):
    # a round over team 3 only: account_manager (team 1) has no invitation in it
    from amdesk.orgs.models import OrgNode

    other_round = make_round(admin, world[0], org_node=OrgNode.objects.get(code="TM3"))
    api = api_for(account_manager)
    assert other_round.pk not in {row["id"] for row in _results(api.get("/api/v1/survey-rounds/"))}
    assert api.get(f"/api/v1/survey-rounds/{other_round.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_questionnaires(role, request, admin, api_for):
    published = make_questionnaire(admin, title="已发布")
    draft = make_questionnaire(admin, title="草稿", publish=False)
    api = api_for(request.getfixturevalue(role))
    listed = {row["id"] for row in _results(api.get("/api/v1/questionnaires/"))}
    manager = role in MANAGES
    assert listed == ({published.pk, draft.pk} if manager else {published.pk})
    detail = api.get(f"/api/v1/questionnaires/{published.pk}/")
    assert detail.status_code == 200
    sections = detail.json()["sections"]
    assert [s["title"] for s in sections] == ["服务评价", "推荐与建议"]
    assert [o["label"] for o in sections[0]["questions"][2]["options"]] == ["上门", "电话"]
    assert api.get(f"/api/v1/questionnaires/{draft.pk}/").status_code == (200 if manager else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_satisfaction_index_scope(
    role, request, world, api_for, account_manager, team2_manager, other_manager
):
    _q, survey_round, _invitations = world
    names = {
        "mine": account_manager.full_name,
        "team2": team2_manager.full_name,
        "other": other_manager.full_name,
    }
    api = api_for(request.getfixturevalue(role))
    response = api.get("/api/v1/satisfaction-index/", {"group_by": "owner", "round": survey_round.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["round"] == survey_round.pk
    assert {row["label"] for row in body["rows"]} == {names[n] for n in SEES[role]}
    assert body["total"]["responses"] == len(SEES[role] & {"team2", "other"})


@pytest.mark.django_db
def test_satisfaction_index_parameters(world, api_for, admin):
    api = api_for(admin)
    teams = api.get("/api/v1/satisfaction-index/", {"group_by": "team"}).json()
    assert {row["label"] for row in teams["rows"]} == {"公司金融团队", "个人金融团队", "小微金融团队"}
    branch = api.get("/api/v1/satisfaction-index/", {"group_by": "branch"}).json()
    assert [(row["label"], row["responses"]) for row in branch["rows"]] == [("杭州分行", 2)]
    assert api.get("/api/v1/satisfaction-index/", {"group_by": "nobody"}).status_code == 400
    assert api.get("/api/v1/satisfaction-index/", {"round": "x"}).status_code == 400
    assert api.get("/api/v1/satisfaction-index/", {"round": 999999}).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_refused(world):
    for url in ("/api/v1/survey-invitations/", "/api/v1/survey-rounds/", "/api/v1/satisfaction-index/"):
        assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.django_db
def test_rounds_of_other_units_are_not_listed(admin, supervisor, other_supervisor, api_for, world):
    from amdesk.orgs.models import OrgNode
    from amdesk.surveys.services import survey_round_create

    questionnaire, whole, _invitations = world
    team3 = make_round(
        other_supervisor, questionnaire, org_node=OrgNode.objects.get(code="TM3"), open_it=False
    )
    team1 = survey_round_create(
        actor=supervisor,
        questionnaire=questionnaire,
        name="一队专项",
        period_start=whole.period_start,
        period_end=whole.period_end,
        opens_on=whole.opens_on,
        closes_on=whole.closes_on,
        org_node=OrgNode.objects.get(code="TM1"),
    )
    listed = {row["id"] for row in _results(api_for(supervisor).get("/api/v1/survey-rounds/"))}
    assert listed == {whole.pk, team1.pk}
    listed = {row["id"] for row in _results(api_for(admin).get("/api/v1/survey-rounds/"))}
    assert listed == {whole.pk, team1.pk, team3.pk}


@pytest.mark.django_db
def test_lists_take_a_fixed_number_of_queries(
    world, admin, account_manager, api_for, django_assert_max_num_queries
):
    questionnaire, survey_round, _invitations = world
    for i in range(5):
        client = make_client(account_manager, f"新客户{i}", tier="key", lifecycle="won")
        SurveyInvitation.objects.create(
            round=survey_round, client=client, owner=account_manager, org_node=client.org_node
        )
    api = api_for(admin)
    for url in ("/api/v1/survey-invitations/", "/api/v1/survey-rounds/", "/api/v1/questionnaires/"):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        assert api.get(f"/api/v1/survey-rounds/{survey_round.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert api.get(f"/api/v1/questionnaires/{questionnaire.pk}/").status_code == 200


@pytest.mark.django_db
def test_index_without_any_round(api_for, admin):
    body = api_for(admin).get("/api/v1/satisfaction-index/").json()
    assert body["round"] is None and body["rows"] == [] and body["total"]["responses"] == 0
