"""What a new user meets everywhere: Chinese error pages, meaningful empty choices, a menu of his own."""

import os
import re
import subprocess
import sys
import textwrap
from datetime import date

from tests.clients.factories import make_client


def test_404_and_403_pages_are_chinese_and_keep_the_menu(account_manager, client_for):
    web = client_for(account_manager)
    missing = web.get("/clients/999999999/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert 'data-testid="error-404"' in page and "页面不存在" in page and "Not Found" not in page
    assert 'href="/visits/"' in page  # the menu is still there to go on
    # An account manager may not hand clients over: a Chinese page saying why
    refused = web.get("/clients/handover/")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert 'data-testid="error-403"' in page and "Forbidden" not in page and "返回我的工作台" in page


def test_500_page_is_chinese_without_a_request_context(rf, settings):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


def test_make_run_settings_serve_chinese_error_pages_and_static_files(tmp_path):
    # `make run` uses amdesk.settings.local: debug is off unless DEBUG=1 is asked for, and static
    # files are still served
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.test import Client
        client = Client(HTTP_HOST="127.0.0.1")
        missing = client.get("/no-such-page/")
        static = client.get("/static/core/app.css")
        chinese = "页面不存在" in missing.content.decode()
        print(settings.DEBUG, missing.status_code, chinese, static.status_code)
        """
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "amdesk.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.stdout.split() == ["False", "404", "True", "200"], result.stdout + result.stderr


def test_choice_lists_say_what_to_choose(supervisor, account_manager, client_for):
    web = client_for(supervisor)
    client = make_client(account_manager, "王小明")
    for path in ("/orgs/staff/", f"/clients/handover/?client={client.pk}", "/clients/new/"):
        page = web.get(path).content.decode()
        assert "---------" not in page, path
    assert "请选择客户经理" in web.get(f"/clients/handover/?client={client.pk}").content.decode()
    staff = web.get("/orgs/staff/").content.decode()
    assert "全部角色" in staff
    # a role's name never breaks inside (营销/主管 on a phone)
    assert '<span class="text-nowrap" data-testid="role-name">营销主管</span>' in staff


def _blank_lines(block) -> str:
    return "\n" * block.group(0).count("\n")


def test_chinese_text_uses_the_full_width_colon():
    import re
    from pathlib import Path

    import amdesk

    root = Path(amdesk.__file__).parent
    # Templates put {% colon %} (： in Chinese) between a label and its value, never a bare ":"
    # (inside {% blocktranslate %} the text is an msgid: its translation is checked below)
    bare = re.compile(r"(?:%\}|\}\})\s?:(?:\s|<|$)", re.M)
    blocks = re.compile(r"{% blocktranslate.*?{% endblocktranslate %}", re.S)
    offenders = [
        f"{path.relative_to(root)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in root.rglob("templates/**/*.html")
        for text in [blocks.sub(_blank_lines, path.read_text(encoding="utf-8"))]
        for match in bare.finditer(text)
    ]
    assert not offenders, offenders
    # and no translation mixes Chinese with an ASCII colon (times like 10:30 and URLs aside)
    po = (root / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', po, re.M)
    mixed = [text for text in translations if re.search(r"[\u4e00-\u9fff][^:\d/]*:(?![\d/])", text)]
    assert not mixed, mixed


def test_colon_tag_and_helper_follow_the_language(settings):
    from django.template import Context, Template
    from django.utils import translation

    from amdesk.core.i18n import labelled

    with translation.override("zh-hans"):
        assert Template("{% load amdesk %}原因{% colon %}无").render(Context()) == "原因：无"
        assert labelled("基金", "不是数字") == "基金：不是数字"
    with translation.override("en"):
        assert labelled("Funds", "not a number") == "Funds: not a number"


def test_a_quarter_is_written_one_way(supervisor, client_for):
    import re

    from django.utils import timezone, translation

    from amdesk.core.i18n import quarter_label
    from amdesk.surveys.services import period_name

    with translation.override("zh-hans"):
        assert quarter_label(2026, 4) == "2026年第4季度"
    with translation.override("en"):
        # a round's name is stored data: in the organisation's language whoever asks
        assert period_name(date(2026, 10, 1), date(2026, 12, 31)) == "2026年第4季度客户满意度调查"
    today = timezone.localdate()
    this_quarter = f"{today.year}年第{(today.month - 1) // 3 + 1}季度"
    page = client_for(supervisor).get("/service/kpis/?period=quarter").content.decode()
    choices = page.split('id="k-quarter"', 1)[1].split("</select>")[0]
    labels = re.findall(r">([^<]+)</option>", choices)
    assert this_quarter in labels and not [label for label in labels if "-Q" in label]


def test_the_api_documentation_is_in_the_menu_of_those_who_use_it(account_manager, admin, client_for):
    # An account manager's menu has no "API"; he finds the documentation beside his API tokens
    web = client_for(account_manager)
    menu = web.get("/").content.decode().split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/api/docs/"' not in menu and ">API<" not in menu
    assert 'data-testid="api-docs-link"' in web.get("/accounts/tokens/").content.decode()
    # The administrators who run integrations have it in the menu, as 接口文档
    menu = client_for(admin).get("/").content.decode().split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r'href="/api/docs/">接口文档<', menu)
