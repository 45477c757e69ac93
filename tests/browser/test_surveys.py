"""The survey journey in the browser: the account manager issues a client a one-time link on his
phone, the client opens it on a phone-sized screen (390×844) without signing in and answers it, and
the satisfaction index the supervisor sees changes with the new response."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from amdesk.surveys.models import SurveyResponse
from tests.clients.factories import make_client
from tests.orgs.factories import PASSWORD
from tests.surveys.factories import answer, invitation_of, make_round, questions_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "has_touch": True, "is_mobile": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("desk-title").wait_for()


def new_page(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def expected_index(answers: list[tuple[int, int]]) -> str:
    """The report's index from (rating 1–5, rating 1–10) answers to the factory's questionnaire: each
    rating on 0–100 as (v − lowest) / (highest − lowest), weighted 3 : 1, kept to 0.01 per response;
    the round's index is the mean of its responses to one decimal, half up."""
    cent, tenth = Decimal("0.01"), Decimal("0.1")

    def points(value: int, low: int, high: int) -> Decimal:
        return (Decimal(value - low) * 100 / (high - low)).quantize(cent, ROUND_HALF_UP)

    indexes = [
        ((3 * points(r5, 1, 5) + points(r10, 1, 10)) / 4).quantize(cent, ROUND_HALF_UP) for r5, r10 in answers
    ]
    return str((sum(indexes) / len(indexes)).quantize(tenth, ROUND_HALF_UP))


@pytest.fixture
def survey(admin, account_manager):
    """An open round: one client already answered (low), one waiting."""
    answered = make_client(account_manager, "陈大华", tier="key")
    waiting = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, answered), rating5=2, rating10=2, nps=3)
    return survey_round, invitation_of(survey_round, waiting)


def test_a_client_answers_a_survey_link_on_his_phone_and_the_index_updates(
    survey, live_server, browser, supervisor
):
    base = live_server.url
    survey_round, invitation = survey
    questions = questions_of(survey_round.questionnaire)

    # The supervisor sees the round's index with the one low answer so far
    context, page = new_page(browser, **LAPTOP)
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/surveys/report/?round={survey_round.pk}")
    before = page.get_by_test_id("report-index").inner_text().strip()
    assert before == expected_index([(2, 2)])
    context.close()

    # The account manager, on his phone, issues the client a link from his survey page
    context, page = new_page(browser, **PHONE)
    sign_in(page, base, "am")
    page.goto(f"{base}/surveys/")
    page.get_by_test_id(f"answer-{invitation.pk}").click()
    page.get_by_test_id("issue-link").click()
    link = page.get_by_test_id("survey-link")
    link.wait_for()
    url = link.input_value()
    assert "/surveys/a/" in url and page.get_by_test_id("qr").locator("svg").is_visible()
    context.close()

    # The client opens it on his phone: no sign-in, a greeting, one column that fits the screen
    context, page = new_page(browser, **PHONE)
    page.goto(url)
    assert "尊敬的客户" in page.get_by_test_id("greeting").inner_text()
    assert "王小明" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    target = page.locator(f"label[for='q{questions['服务态度'].pk}-5']")
    box = target.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a finger-sized tap target

    # He forgets a required question: the page says so and keeps what he chose
    page.locator(f"label[for='q{questions['专业能力'].pk}-9']").tap()
    page.get_by_role("textbox", name="意见建议").fill("服务很周到，希望多举办理财讲座")
    page.get_by_test_id("answer-submit").tap()
    page.get_by_test_id(f"error-{questions['服务态度'].pk}").wait_for()
    assert page.locator(f"#q{questions['专业能力'].pk}-9").is_checked()
    assert page.get_by_role("textbox", name="意见建议").input_value() == "服务很周到，希望多举办理财讲座"

    # He completes it and is thanked
    page.locator(f"label[for='q{questions['服务态度'].pk}-5']").tap()
    page.locator(f"label[for='q{questions['推荐意愿'].pk}-10']").tap()
    page.get_by_text("电话", exact=True).tap()
    page.get_by_test_id("answer-submit").tap()
    page.get_by_test_id("survey-thanks").wait_for()
    saved = SurveyResponse.objects.get(invitation=invitation)
    assert saved.mode == "link" and saved.nps == 10

    # Opening the link again tells him it was used
    page.goto(url)
    assert page.get_by_test_id("survey-unavailable").get_attribute("data-reason") == "used"
    context.close()

    # The supervisor's index now counts the new answer
    context, page = new_page(browser, **LAPTOP)
    sign_in(page, base, supervisor.username)
    page.goto(f"{base}/surveys/report/?round={survey_round.pk}")
    after = page.get_by_test_id("report-index").inner_text().strip()
    # the one earlier answer and the client's: 服务态度 5 of 5, 专业能力 9 of 10
    assert after == expected_index([(2, 2), (5, 9)])
    assert page.get_by_test_id("report-responses").inner_text().strip() == "2"
    assert "服务很周到" in page.get_by_test_id("report-comments").inner_text()
    context.close()
