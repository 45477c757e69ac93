"""The live AHP editor in the browser: the appraisal admin changes a judgment, the weights and CR
follow without a reload (htmx), the judgments that disagree most are flagged, and Activate stays
disabled until every level is consistent."""

import re

import pytest
from playwright.sync_api import expect

from amdesk.appraisal.models import SchemeVersion
from tests.appraisal.schemes_helpers import complete_scheme, indicator
from tests.browser.test_visits import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Assertions wait as long as actions do (the suite may run on a busy machine; nothing sleeps).
expect.set_options(timeout=20_000)


def test_the_admin_mends_an_inconsistent_matrix_live_and_activates(live_server, browser, appraisal_admin):
    from amdesk.appraisal.services.schemes import criterion_add, scheme_indicator_add

    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    grow = criterion_add(actor=appraisal_admin, version=draft, name="提升")
    scheme_indicator_add(actor=appraisal_admin, criterion=grow, indicator=indicator("grow"))
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(20_000)  # generous: the suite may run on a busy machine
    page = context.new_page()
    sign_in(page, live_server.url, "hr")
    page.goto(f"{live_server.url}/appraisal/schemes/{scheme.pk}/edit/")
    matrix = page.get_by_test_id("matrix-criteria")

    def judge(name, value):
        # one change, one recomputation: wait until the editor was swapped for the new one
        before = matrix.element_handle()
        with page.expect_response(lambda r: "/edit/matrix/" in r.url):
            matrix.locator(f"select[name={name}]").select_option(value)
        before.wait_for_element_state("hidden")  # detached
        # htmx wires the new editor up when it settles (and then drops "htmx-added"): a change made
        # before that would be lost
        expect(matrix).not_to_have_class(re.compile(r"\bhtmx-added\b"))

    # Given judgments in a circle: 获客 ≫ 保有 (9), 保有 ≫ 提升 (9), 提升 ≫ 获客 (1/9)
    judge("a-0-1", "9")
    judge("a-1-2", "9")
    judge("a-0-2", "1/9")
    # Then CR turns red and the worst judgments are flagged with a suggestion, nothing saved yet
    cr = matrix.get_by_test_id("cr")
    expect(cr).to_have_text("6.130")
    expect(cr).to_have_class(re.compile("text-bg-danger"))
    expect(matrix.get_by_test_id("disagreements")).to_be_visible()
    assert matrix.locator("[data-suggested]").count() >= 1
    assert SchemeVersion.objects.get(pk=draft.pk).matrix[0][1] == 3.0
    # When the circle is broken (获客 9 over both, 保有 = 提升) the CR turns green
    judge("a-1-2", "1")
    judge("a-0-2", "9")
    expect(cr).to_have_text("0.000")
    expect(cr).to_have_class(re.compile("text-bg-success"))
    # and saved, the draft is ready: Activate is enabled and puts the version in use
    page.get_by_test_id("save-matrix-criteria").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_test_id("activate").is_enabled()
    page.get_by_test_id("activate").click()
    page.get_by_test_id("version-heading").wait_for()
    assert SchemeVersion.objects.get(pk=draft.pk).state == "active"
    context.close()
