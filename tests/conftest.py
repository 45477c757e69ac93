"""Shared fixtures: the bank preset, a small org tree, and one user per role.

head office HO
└── branch BR (head: branch_head)
    ├── sub-branch SB1
    │   └── outlet OT1
    │       ├── team TM1 (supervisor leads; account_manager, product_manager)
    │       └── team TM2 (supervisor leads; team2_manager)
    └── sub-branch SB2
        └── outlet OT2
            └── team TM3 (other_supervisor leads; other_manager)
"""

import os
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.core import calendar
from amdesk.presets import preset_apply
from tests.browser.conftest import CHROMIUM
from tests.clock import suite_clock_start
from tests.orgs.factories import PASSWORD, OrgNodeFactory, StaffFactory


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("AMDESK_TEST_CLOCK", ""),
        help=(
            "run the whole suite as if the local time (Asia/Shanghai) were HH:MM today, or at an ISO "
            "date-time, the clock ticking from there (e.g. --clock=23:30): proves no test depends on "
            "the hour it runs at. Also read from AMDESK_TEST_CLOCK."
        ),
    )


def pytest_configure(config):
    start = suite_clock_start(config.getoption("--clock"))
    if start is not None:
        # tick=True: time passes as usual from the faked start (timeouts, ordering of records).
        config._amdesk_clock_start = start
        config._amdesk_clock = time_machine.travel(start, tick=True)
        config._amdesk_clock.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_amdesk_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    lines = []
    if CHROMIUM.exists():
        lines.append(f"browser tests: run with {CHROMIUM}")
    else:
        lines.append(f"browser tests: SKIPPED, {CHROMIUM} is missing (apt-get install chromium)")
    if getattr(config, "_amdesk_clock", None) is not None:
        lines.append(f"clock: the suite runs as if it were {config._amdesk_clock_start:%Y-%m-%d %H:%M %Z}")
    return lines


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Uploaded import files and reports go to the test's own folder, never the checkout's var/."""
    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    return settings.AMDESK_IMPORT_DIR


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    """Attached files go to the test's own folder, never the checkout's var/."""
    location = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Rate limits count in the cache (sign-in failures, public links): each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def working_day_calendar(request, settings):
    """Each test that uses the database starts with the working-day calendar freshly read from the
    test database before the test runs: a query-count assertion never pays for the first load, and
    no test sees another test's (rolled back) calendar edits."""
    settings.AMDESK_CALENDAR_REVALIDATE_SECONDS = 3600
    calendar.clear_cache()
    names = request.fixturenames
    if {"db", "transactional_db", "live_server"} & set(names) or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            calendar.year_rule(timezone.localdate().year)
    yield
    calendar.clear_cache()


@pytest.fixture
def preset(db):
    return preset_apply(actor=None, code="bank")


@pytest.fixture
def org(preset):
    ho = OrgNodeFactory(name="总行", code="HO")
    br = OrgNodeFactory(name="杭州分行", code="BR", parent=ho)
    sb1 = OrgNodeFactory(name="西湖支行", code="SB1", parent=br)
    sb2 = OrgNodeFactory(name="滨江支行", code="SB2", parent=br)
    ot1 = OrgNodeFactory(name="文三路网点", code="OT1", parent=sb1)
    ot2 = OrgNodeFactory(name="长河网点", code="OT2", parent=sb2)
    tm1 = OrgNodeFactory(name="公司金融团队", code="TM1", parent=ot1)
    tm2 = OrgNodeFactory(name="个人金融团队", code="TM2", parent=ot1)
    tm3 = OrgNodeFactory(name="小微金融团队", code="TM3", parent=ot2)
    return SimpleNamespace(ho=ho, br=br, sb1=sb1, sb2=sb2, ot1=ot1, ot2=ot2, tm1=tm1, tm2=tm2, tm3=tm3)


def _lead(node, person):
    node.leader = person
    node.save(update_fields=["leader"])


@pytest.fixture
def branch_head(org):
    head = StaffFactory(username="head", full_name="江海岚", org_node=org.br, roles=["head"])
    _lead(org.br, head)
    return head


@pytest.fixture
def supervisor(org, branch_head):
    boss = StaffFactory(
        username="sup", full_name="雷勇", org_node=org.tm1, roles=["supervisor"], supervisor=branch_head
    )
    _lead(org.tm1, boss)
    _lead(org.tm2, boss)
    return boss


@pytest.fixture
def other_supervisor(org, branch_head):
    boss = StaffFactory(username="sup_other", full_name="李岚", org_node=org.tm3, roles=["supervisor"])
    _lead(org.tm3, boss)
    return boss


@pytest.fixture
def account_manager(org, supervisor):
    return StaffFactory(username="am", full_name="苏婷瑶", org_node=org.tm1, supervisor=supervisor)


@pytest.fixture
def team2_manager(org, supervisor):
    return StaffFactory(username="am_team2", full_name="钟欢岚", org_node=org.tm2, supervisor=supervisor)


@pytest.fixture
def other_manager(org, other_supervisor):
    return StaffFactory(username="am_other", full_name="郭佳", org_node=org.tm3, supervisor=other_supervisor)


@pytest.fixture
def admin(org):
    return StaffFactory(username="sysadmin", full_name="付娟玲", org_node=org.ho, roles=["system_admin"])


@pytest.fixture
def appraisal_admin(org):
    return StaffFactory(username="hr", full_name="付辉颖", org_node=org.ho, roles=["appraisal_admin"])


@pytest.fixture
def everyone(account_manager, team2_manager, other_manager, supervisor, other_supervisor, branch_head, admin):
    return [account_manager, team2_manager, other_manager, supervisor, other_supervisor, branch_head, admin]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def client_for():
    """A browser-like client signed in as the given user (through the real sign-in form)."""

    def make(user, **extra) -> Client:
        client = Client(**extra)
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return make


@pytest.fixture
def api_for():
    """An API client signed in as `user` (token-less: DRF's force_authenticate)."""

    def make(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return make
