"""Every registered source costs the same number of queries for 3 people as for 30."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.appraisal.models import SellingTeamMember
from amdesk.appraisal.sources import all_sources
from amdesk.orgs.models import Role
from tests.appraisal.library_helpers import aum, created_on, run
from tests.clients.factories import make_client, set_holding
from tests.orgs.factories import StaffFactory

START, END = date(2026, 6, 1), date(2026, 6, 30)


@pytest.fixture
def people(org, supervisor):
    with time_machine.travel(date(2026, 7, 15), tick=False):
        staff = [StaffFactory(org_node=org.tm1, supervisor=supervisor) for _ in range(30)]
        for person in staff:
            client = make_client(person, name=f"客户{person.pk}", tier="key", lifecycle="won")
            created_on(client, date(2026, 5, 1))
            aum(client, date(2026, 5, 31), 1000)
            aum(client, date(2026, 6, 30), 1500)
            set_holding(client, "demand-deposit", 100)
        # One client with a selling team, so the split is exercised.
        SellingTeamMember.objects.create(
            client=client, staff=staff[0], role=Role.objects.get(code="account_manager"), share_percent=60
        )
        SellingTeamMember.objects.create(
            client=client, staff=staff[-1], role=Role.objects.get(code="account_manager"), share_percent=40
        )
    return staff


def _queries(code, staff) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(code, staff, START, END)
    return len(captured)


@time_machine.travel(date(2026, 7, 15), tick=False)
def test_queries_do_not_grow_with_people(people):
    # One set of 30 people for every source (building it is the slow part).
    counts = {}
    for code in sorted(all_sources()):
        run(code, people[:3], START, END)  # settings rows are created on the first read
        counts[code] = (_queries(code, people[:3]), _queries(code, people))
    assert len(counts) == 21
    grows = {code: pair for code, pair in counts.items() if pair[0] != pair[1]}
    assert grows == {}
    assert max(many for _few, many in counts.values()) <= 8
