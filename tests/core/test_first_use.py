"""What a new user meets everywhere: Chinese error pages, meaningful empty choices, a menu of his own."""

import os
import subprocess
import sys
import textwrap

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
    assert "全部角色" in web.get("/orgs/staff/").content.decode()
