"""On a phone (390 px wide) the visit form shows its date-times whole: each date or date-time input is
inside the screen and wide enough for its value, and no button label breaks inside a word."""

import pytest

from tests.browser.test_visits import sign_in
from tests.clients.factories import make_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The room a date-time needs: its longest rendering (Chromium's "12/08/2026, 10:30 AM") in the
# input's own font, plus its padding and the calendar button.
NEEDED_WIDTH = """input => {
  const style = getComputedStyle(input);
  const canvas = document.createElement("canvas").getContext("2d");
  canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const sample = input.type === "date" ? "12/08/2026" : "12/08/2026, 10:30 AM";
  return canvas.measureText(sample).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight)
    + 1.5 * parseFloat(style.fontSize);
}"""

# How many lines a button's label takes: the distinct tops of its text's boxes.
ONE_LINE = """button => {
  const range = document.createRange();
  range.selectNodeContents(button);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size === 1;
}"""


def test_the_visit_form_fits_a_phone(account_manager, live_server, browser):
    client = make_client(account_manager, "王小明")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, "am")
    page.goto(f"{live_server.url}/visits/new/?client={client.pk}")
    for name in ("started_at", "ended_at", "next_step_on"):
        field = page.locator(f"input[name={name}]")
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, name
        assert box["width"] >= field.evaluate(NEEDED_WIDTH), name
    # Every button's label stays on one line (no 查/找 stacked in two lines)
    page.goto(f"{live_server.url}/visits/new/")
    for button in page.locator(".btn:visible").all():
        assert button.evaluate(ONE_LINE), button.inner_text()
    context.close()
