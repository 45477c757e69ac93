"""The page shell: Chinese by default, English on request, the desk by role."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import amdesk


def test_login_page_is_chinese_by_default(db, client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body and "客户经理工作台" in body
    assert 'lang="zh-hans"' in body


def test_english_is_switchable(account_manager, client_for):
    client = client_for(account_manager)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "My desk" in body and "我的工作台" not in body


def test_account_manager_desk(account_manager, client_for):
    body = client_for(account_manager).get("/").content.decode()
    assert "我的工作台" in body and "苏婷瑶" in body and "公司金融团队" in body
    assert 'data-testid="team-card"' not in body  # an AM has no team to oversee
    assert "/admin/" not in body and 'href="/orgs/staff/"' not in body


def test_supervisor_desk_shows_his_teams(everyone, supervisor, client_for):
    body = client_for(supervisor).get("/").content.decode()
    assert 'data-testid="team-card"' in body
    assert "个人金融团队" in body and "小微金融团队" not in body
    assert 'href="/orgs/staff/"' in body and 'href="/orgs/tree/"' in body and "/admin/" not in body


def test_admin_navigation_reaches_the_admin(everyone, admin, client_for):
    client = client_for(admin)
    assert "/admin/" in client.get("/").content.decode()
    assert client.get("/admin/orgs/staff/").status_code == 200
    assert client.get("/admin/orgs/orgnode/").status_code == 200


def test_static_assets_are_served_locally(db, client):
    for path in [
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/core/app.js",
    ]:
        assert client.get(path).status_code == 200, path


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_compiled_translations_are_up_to_date(tmp_path):
    po = Path(amdesk.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages` and commit the .mo"


def test_production_settings_pass_the_deploy_check():
    env = {
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "amdesk.example.com",
        "DJANGO_SETTINGS_MODULE": "amdesk.settings.production",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "amdesk.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_english_browser_still_gets_chinese_pages(db, client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in body and "Sign in" not in body
