"""A summary's figures are frozen when it is submitted (shown as submitted while submitted or
reviewed, live again once returned); the account manager's desk lists his documents due today or
on the next working day."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from amdesk.planning.models import MonthlySummary, WeeklySummary
from amdesk.planning.selectors import due_soon, month_completion, week_progress
from amdesk.planning.services import document_transition, plan_document_save, target_sheet_save
from tests.clients.factories import make_client
from tests.planning.factories import register
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
OCT = date(2026, 10, 1)
WEEK = date(2026, 10, 5)  # its last working day is the make-up Saturday 10 October


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def progress(owner, document=None) -> dict:
    _month, rows = week_progress(owner=owner, monday=WEEK, today=date(2026, 11, 1), document=document)
    return {row.item.code: row.achieved for row in rows}


def test_weekly_summary_figures_are_frozen_when_submitted(account_manager, supervisor):
    # Given October targets and 4 registered, 1 visit in the week
    target_sheet_save(
        actor=supervisor,
        owner=account_manager,
        month=OCT,
        lines={"insurance": {"target": "20"}, "visits-made": {"target": "8"}},
    )
    register(account_manager, {("insurance", date(2026, 10, 8)): "4"})
    record_visit(account_manager, make_client(account_manager), date(2026, 10, 9))
    summary, _c = plan_document_save(actor=account_manager, kind="weekly-summary", period=WEEK, data={})
    # When he submits it and later corrects the week's registrations and records another visit
    summary = document_transition(actor=account_manager, document=summary, action="submit")
    register(account_manager, {("insurance", date(2026, 10, 9)): "3"})
    record_visit(account_manager, make_client(account_manager, name="王五"), date(2026, 10, 9))
    # Then the submitted summary shows the figures it was submitted with; live figures moved on
    summary.refresh_from_db()
    assert summary.figures["month"] == "2026-10-01"
    assert progress(account_manager, summary) == {"insurance": Decimal("4"), "visits-made": 1}
    assert progress(account_manager) == {"insurance": Decimal("7"), "visits-made": 2}
    # still frozen once reviewed
    summary = document_transition(actor=supervisor, document=summary, action="review")
    assert progress(account_manager, summary)["insurance"] == Decimal("4")


def test_returned_summary_is_live_and_submitting_again_freezes_anew(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=OCT, lines={"insurance": {"target": "20"}}
    )
    register(account_manager, {("insurance", date(2026, 10, 8)): "4"})
    summary, _c = plan_document_save(actor=account_manager, kind="monthly-summary", period=OCT, data={})
    summary = document_transition(actor=account_manager, document=summary, action="submit")
    register(account_manager, {("insurance", date(2026, 10, 9)): "6"})
    assert [row.achieved for row in month_completion(owner=account_manager, month=OCT, document=summary)] == [
        Decimal("4")
    ]
    summary = document_transition(actor=supervisor, document=summary, action="return", comment="补充")
    assert summary.figures is None
    assert [row.achieved for row in month_completion(owner=account_manager, month=OCT, document=summary)] == [
        Decimal("10")
    ]
    summary, _c = plan_document_save(
        actor=account_manager, kind="monthly-summary", period=OCT, data={"lessons": "跟进及时"}
    )
    summary = document_transition(actor=account_manager, document=summary, action="submit")
    register(account_manager, {("insurance", date(2026, 10, 12)): "1"})
    assert Decimal(MonthlySummary.objects.get(pk=summary.pk).figures["rows"][0]["achieved"]) == 10
    frozen = month_completion(owner=account_manager, month=OCT, document=summary)
    assert [(row.achieved, row.rate) for row in frozen] == [(Decimal("10"), 50.0)]


def test_the_page_shows_the_frozen_figures(client_for, account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=OCT, lines={"insurance": {"target": "20"}}
    )
    register(account_manager, {("insurance", date(2026, 10, 8)): "4"})
    web = client_for(account_manager)
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = "/planning/week/2026-10-05/summary/"
    with translation.override("en"):
        page = web.get(url).content.decode()
        assert 'data-testid="figures-frozen"' not in page
        web.post(url, {"version": "0", "notes": "ok", "decision": "submit"})
        assert WeeklySummary.objects.get(owner=account_manager).state == "submitted"
        register(account_manager, {("insurance", date(2026, 10, 9)): "5"})
        page = web.get(url).content.decode()
    assert 'data-testid="figures-frozen"' in page
    row = page[page.index('data-testid="progress-insurance"') :].split("</tr>")[0]
    assert 'text-end">4 <span' in row and 'text-end">9' not in row


def test_due_soon_lists_documents_due_today_or_the_next_working_day(account_manager, supervisor):
    # On Friday 9 October 2026 the next working day is the make-up Saturday 10th: this week's summary,
    # October's plan and targets, September's summary and next week's visit schedule are due then;
    # this week's arrangement was due on the 8th (overdue, counted elsewhere)
    today, now = date(2026, 10, 9), at(date(2026, 10, 9))
    found = {(item.kind, item.period) for item in due_soon(account_manager, today=today, now=now)}
    assert found == {
        ("weekly-summary", WEEK),
        ("monthly-plan", OCT),
        ("monthly-summary", date(2026, 9, 1)),
        ("targets", OCT),
        ("visit-schedule", date(2026, 10, 12)),
    }
    # a submitted one is no longer listed, a draft or a returned one still is
    summary, _c = plan_document_save(actor=account_manager, kind="weekly-summary", period=WEEK, data={})
    document_transition(actor=account_manager, document=summary, action="submit")
    plan, _c = plan_document_save(actor=account_manager, kind="monthly-plan", period=OCT, data={})
    plan = document_transition(actor=account_manager, document=plan, action="submit")
    document_transition(actor=supervisor, document=plan, action="return", comment="再细化")
    items = due_soon(account_manager, today=today, now=now)
    assert {item.kind for item in items} == {"monthly-plan", "monthly-summary", "targets", "visit-schedule"}
    assert [item.url for item in items if item.kind == "monthly-plan"] == ["/planning/month/2026-10/plan/"]
    # on the Saturday evening, after the cut-off, they are overdue rather than due soon; next
    # Monday's arrangement is due on the next working day
    later = due_soon(account_manager, today=date(2026, 10, 10), now=at(date(2026, 10, 10), 21))
    assert [(item.kind, item.period) for item in later] == [("arrangement", date(2026, 10, 12))]


def test_desk_card_shows_due_soon(client_for, account_manager, time_machine):
    time_machine.move_to(at(date(2026, 10, 9)), tick=False)
    web = client_for(account_manager)
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        page = web.get("/").content.decode()
    assert 'data-testid="desk-due-soon"' in page
    assert 'data-testid="due-soon-weekly-summary"' in page and 'data-testid="due-soon-targets"' in page
    assert 'href="/planning/week/2026-10-05/summary/"' in page


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_says_the_figures_are_frozen(account_manager, supervisor):
    target_sheet_save(
        actor=supervisor, owner=account_manager, month=OCT, lines={"visits-made": {"target": "4"}}
    )
    record_visit(account_manager, make_client(account_manager), date(2026, 10, 8))
    summary, _c = plan_document_save(actor=account_manager, kind="weekly-summary", period=WEEK, data={})
    url = f"/api/v1/planning/weekly-summaries/{summary.pk}/"
    body = api_for(account_manager).get(url).json()
    assert body["figures_frozen"] is False and body["progress"][0]["achieved"] in ("1", "1.00", 1)
    document_transition(actor=account_manager, document=summary, action="submit")
    record_visit(account_manager, make_client(account_manager, name="赵六"), date(2026, 10, 9))
    body = api_for(supervisor).get(url).json()
    assert body["figures_frozen"] is True and body["progress"][0]["achieved"] in ("1", "1.00", 1)
