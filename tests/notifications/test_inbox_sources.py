"""The appraisal admin's inbox holds what his overview page lists (periods to open, to compute and to
approve, ladder proposals, manual values missing), and a visit finding links to the visit record
that raised it."""

from datetime import date

import pytest
from django.urls import reverse

from amdesk.appraisal.selectors.overview import admin_overview
from amdesk.notifications.inbox import inbox_counts, inbox_sections
from tests.appraisal.periods_helpers import fixed, indicator, open_period, scheme_with
from tests.clients.factories import make_client
from tests.visits.factories import record_visit

TODAY = date(2026, 3, 10)


@pytest.fixture
def appraisal(frozen, appraisal_admin, account_manager, team2_manager):
    # A monthly scheme with a manual indicator: January opened (not computed), February (the month
    # last ended) not opened yet.
    sales = indicator("sales")
    scheme = scheme_with([(sales, "业绩", 1.0, 1.0, fixed(0, 100))])
    return open_period(scheme, date(2026, 1, 1))


def test_the_appraisal_admin_sees_his_overview(appraisal, appraisal_admin, account_manager):
    overview = admin_overview(viewer=appraisal_admin, today=TODAY)
    assert overview.to_open and overview.to_run and overview.manual_missing
    counts = inbox_counts(appraisal_admin, today=TODAY)
    assert counts["periods_to_open"] == len(overview.to_open) == 1
    assert counts["periods_to_run"] == len(overview.to_run) == 1
    assert counts["manual_values_missing"] == len(overview.manual_missing) == 1
    assert counts.get("ladder_proposals", 0) == overview.ladder_waiting
    assert counts.get("periods_to_approve", 0) == len(overview.to_approve)

    sections = {s.code: s for s in inbox_sections(appraisal_admin, today=TODAY, limit=5)}
    run = sections["periods_to_run"].items[0]
    assert run.url == reverse("appraisal:period-detail", args=[appraisal.pk])
    missing = sections["manual_values_missing"].items[0]
    period, n = overview.manual_missing[0]
    assert str(n) in missing.title and missing.url == reverse("appraisal:manual-values")
    assert sections["periods_to_open"].more_url == reverse("appraisal:admin-overview")
    # nobody else sees them
    assert (
        not {"periods_to_open", "periods_to_run", "manual_values_missing"}
        & inbox_counts(account_manager, today=TODAY).keys()
    )


def test_the_overview_is_read_once_for_the_five_sources(
    appraisal, appraisal_admin, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as alone:
        admin_overview(viewer=appraisal_admin, today=TODAY)
    codes = {
        "periods_to_open",
        "periods_to_run",
        "manual_values_missing",
        "ladder_proposals",
        "periods_to_approve",
    }
    with django_assert_max_num_queries(len(alone.captured_queries) + 1):
        inbox_sections(appraisal_admin, today=TODAY, limit=0, codes=codes)


def test_a_finding_links_to_the_visit_that_raised_it(frozen, preset, account_manager, supervisor):
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, TODAY, anomalies=["common-suspected-fraud"])
    section = next(
        s for s in inbox_sections(supervisor, today=TODAY, limit=5) if s.code == "findings_to_handle"
    )
    assert section.count == 1
    assert section.items[0].url == reverse("visits:detail", args=[visit.pk])
    assert section.more_url == reverse("visits:findings")
