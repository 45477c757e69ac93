"""The client's answer page on a one-time link: no login, a greeting and nothing else about him, one
response per link, clear pages for used / expired / unknown links, a rate limit, answers kept on error."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client as Browser
from django.utils import timezone, translation
from django.utils.translation import gettext

from amdesk.surveys.models import SurveyInvitation, SurveyResponse, SurveySettings
from amdesk.surveys.services import survey_link_issue, survey_round_close
from tests.clients.factories import make_client

from .factories import make_round, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def link(admin, account_manager):
    """A key client of the AM invited in an open round, with a one-time link issued by the AM."""
    client = make_client(
        account_manager, "王小明", tier="key", mobile="13912345678", address="西湖区文三路 1 号"
    )
    survey_round = make_round(admin)
    invitation = SurveyInvitation.objects.get(round=survey_round, client=client)
    token = survey_link_issue(actor=account_manager, invitation=invitation)
    return invitation, token


def _answers(invitation, **override):
    questions = questions_of(invitation.round.questionnaire)
    contact = questions["联系方式"].options.get(label="电话")
    data = {
        f"q{questions['服务态度'].pk}": "5",
        f"q{questions['专业能力'].pk}": "9",
        f"q{questions['联系方式'].pk}": str(contact.pk),
        f"q{questions['推荐意愿'].pk}": "10",
        f"q{questions['意见建议'].pk}": "希望网点增加周末服务",
    }
    data.update({f"q{questions[text].pk}": value for text, value in override.items()})
    return data


def test_the_link_opens_without_login_and_shows_only_a_greeting(link):
    invitation, token = link
    page = Browser().get(f"/surveys/a/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "尊敬的客户，您好" in html and invitation.round.questionnaire.title in html
    # nothing about the client or his account manager
    for secret in ("王小明", "13912345678", "西湖区文三路", invitation.owner.full_name):
        assert secret not in html
    assert 'name="q' in html and "accounts/login" not in html


def test_answering_saves_one_response_and_thanks_the_client(link):
    invitation, token = link
    browser = Browser()
    response = browser.post(f"/surveys/a/{token}/", _answers(invitation))
    assert response.status_code == 302 and response["Location"] == "/surveys/a/thanks/"
    assert "感谢" in browser.get(response["Location"]).content.decode()
    saved = SurveyResponse.objects.get(invitation=invitation)
    assert saved.mode == SurveyResponse.Mode.LINK and saved.recorded_by is None
    assert saved.index is not None and saved.nps == 10

    # the same link again: a clear page, no second response
    again = browser.get(f"/surveys/a/{token}/")
    assert again.status_code == 410 and "已" in again.content.decode()
    assert browser.post(f"/surveys/a/{token}/", _answers(invitation)).status_code == 410
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1


def test_a_wrong_answer_shows_chinese_errors_and_keeps_what_was_typed(link):
    invitation, token = link
    questions = questions_of(invitation.round.questionnaire)
    data = _answers(invitation, 专业能力="11")
    del data[f"q{questions['服务态度'].pk}"]  # required, left out
    page = Browser().post(f"/surveys/a/{token}/", data)
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("zh-hans"):
        required = gettext("Please answer this question.")
        out_of_range = gettext("Choose a score from %(low)s to %(high)s.") % {"low": 1, "high": 10}
    assert 'data-testid="answer-errors"' in html
    assert f'data-testid="error-{questions["服务态度"].pk}">{required}<' in html
    assert f'data-testid="error-{questions["专业能力"].pk}">{out_of_range}<' in html
    # what was typed is still there: the comment, the NPS choice, the option ticked
    assert "希望网点增加周末服务" in html
    assert f'id="q{questions["推荐意愿"].pk}-10" value="10" autocomplete="off" checked' in html
    assert not SurveyResponse.objects.exists()


def test_unknown_and_expired_links_get_a_clear_page(link, admin):
    invitation, token = link
    unknown = Browser().get("/surveys/a/not-a-real-token-at-all/")
    assert unknown.status_code == 404 and "链接" in unknown.content.decode()
    assert unknown.context["reason"] == "unknown"

    SurveyInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = Browser().get(f"/surveys/a/{token}/")
    assert expired.status_code == 410 and expired.context["reason"] == "expired"
    assert "过期" in expired.content.decode()


def test_a_closed_round_ends_its_links(link, admin):
    invitation, token = link
    survey_round_close(actor=admin, survey_round=invitation.round)
    closed = Browser().get(f"/surveys/a/{token}/")
    assert closed.status_code == 410 and closed.context["reason"] == "closed"


def test_the_page_is_rate_limited_per_address(link):
    invitation, token = link
    settings = SurveySettings.current()
    settings.public_rate_limit = 3
    settings.save()
    browser = Browser(REMOTE_ADDR="10.1.2.3")
    assert [browser.get(f"/surveys/a/{token}/").status_code for _ in range(3)] == [200, 200, 200]
    refused = browser.get(f"/surveys/a/{token}/")
    assert refused.status_code == 429 and "请稍" in refused.content.decode()
    # guessing tokens counts too
    assert browser.get("/surveys/a/guess/").status_code == 429
    # another address is not affected
    assert Browser(REMOTE_ADDR="10.9.9.9").get(f"/surveys/a/{token}/").status_code == 200


def test_link_pages_are_chosen_by_the_problem_not_its_translated_text(link):
    invitation, token = link
    browser = Browser()
    browser.post(f"/surveys/a/{token}/", _answers(invitation))
    # the client's phone asks for English: the page still knows the link was used
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    again = browser.get(f"/surveys/a/{token}/")
    assert again.status_code == 410 and again.context["reason"] == "used"
    assert "already been answered" in again.content.decode()
    unknown = browser.get("/surveys/a/not-a-real-token-at-all/")
    assert unknown.status_code == 404 and unknown.context["reason"] == "unknown"


def test_the_page_says_honestly_who_reads_the_answers(link):
    _invitation, token = link
    browser = Browser()
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = browser.get(f"/surveys/a/{token}/").content.decode()
    assert "your account manager" in html and "service quality team" in html
    assert "confidential" not in html


def test_the_form_works_with_csrf_checks_and_a_second_submission_finds_it_used(link):
    invitation, token = link
    url = f"/surveys/a/{token}/"
    browser = Browser(enforce_csrf_checks=True)
    html = browser.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # without the form's token: refused
    assert browser.post(url, _answers(invitation)).status_code == 403
    data = {**_answers(invitation), "csrfmiddlewaretoken": csrf}
    assert browser.post(url, data).status_code == 302
    # the same form sent again (a double tap, a second tab): one response, and a clear page
    second = browser.post(url, data)
    assert second.status_code == 410 and second.context["reason"] == "used"
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1


def test_two_submissions_that_both_saw_the_link_unused_make_one_response(link, monkeypatch):
    invitation, token = link
    from amdesk.surveys.views import public

    real = public.services.survey_answer_by_token

    def other_tab_first(**kwargs):
        # Both requests passed the page's first check; the other one saves first…
        real(token=token, answers=kwargs["answers"])
        # …then this one locks the invitation, finds it answered and is told so
        return real(**kwargs)

    monkeypatch.setattr(public.services, "survey_answer_by_token", other_tab_first)
    response = Browser().post(f"/surveys/a/{token}/", _answers(invitation))
    assert response.status_code == 410 and response.context["reason"] == "used"
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1
