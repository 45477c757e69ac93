"""The demo as `make run` builds it (its default number of clients) looks like a well-run branch: most
clients visited on time by the norms, a few AMs behind, some key clients overdue, and the weeks'
visit schedules mostly kept."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from amdesk.clients.models import Client
from amdesk.demo.builder import DEFAULT_CLIENTS, DemoBuilder
from amdesk.orgs.models import Staff
from amdesk.visits.models import Visit, VisitSettings
from amdesk.visits.selectors import compliance_now, visit_kpis

STEPS = ("preset", "org", "people", "grades", "clients", "visits")


def _a_wednesday():
    """The latest Wednesday: a working day with days of the week behind it, whatever day tests run."""
    today = timezone.localdate()
    return today - timedelta(days=(today.weekday() - 2) % 7)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The visit history of a bank demo of the default size (the steps it needs), rolled back after."""
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=2026, clients=DEFAULT_CLIENTS, today=_a_wednesday())
        for label, step in builder.steps():
            if label in STEPS:
                step()
        yield builder
        transaction.set_rollback(True)


@pytest.fixture
def managers(demo, db):
    return Staff.objects.filter(roles__code="account_manager").order_by("username")


def test_most_clients_are_visited_on_time_and_a_few_ams_are_behind(demo, managers):
    # What the team page shows now: per AM and tier, clients under a norm and those not overdue
    clients = Client.objects.exclude(lifecycle=Client.Lifecycle.LOST)
    rows = list(compliance_now(clients, today=demo.today, group_by=("owner", "tier__is_key")))
    on_time, total = sum(r["on_time"] for r in rows), sum(r["clients"] for r in rows)
    assert on_time / total >= 0.8  # the team as a whole
    key = [r for r in rows if r["tier__is_key"]]
    key_on_time, key_total = sum(r["on_time"] for r in key), sum(r["clients"] for r in key)
    assert 0.7 <= key_on_time / key_total < 1  # most key clients on time, some overdue
    by_owner = {}
    for r in rows:
        done, count = by_owner.get(r["owner"], (0, 0))
        by_owner[r["owner"]] = (done + r["on_time"], count + r["clients"])
    alert = VisitSettings.current().compliance_alert_percent
    rates = [100 * done / count for done, count in by_owner.values()]
    assert len(rates) == managers.count() == 12
    assert 1 <= sum(rate < alert for rate in rates) <= 4  # a few AMs behind, marked on the page
    # and no AM is asked for more visits than a working day holds
    month = Visit.objects.filter(visited_on__gt=demo.today - timedelta(days=28), visited_on__lt=demo.today)
    assert month.count() / 12 / 20 < 10


def test_the_visit_plans_were_mostly_kept(demo, managers):
    today = demo.today
    kpis = visit_kpis(managers, start=today - timedelta(days=29), end=today)
    rates = [k.plan_completion for k in kpis.values()]
    assert all(rate is not None for rate in rates)
    assert sum(rate >= 80 for rate in rates) >= 8 and all(rate < 100 for rate in rates)
    planned = sum(k.planned for k in kpis.values())
    assert 0.8 <= sum(k.planned_done for k in kpis.values()) / planned < 1
    # the history's visits fulfil their entries; a few were made without one
    past = Visit.objects.filter(visited_on__lt=today - timedelta(days=7))
    assert past.filter(entry__isnull=False).count() > 0.8 * past.count() > past.filter(entry=None).count() > 0
