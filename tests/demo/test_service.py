"""The demo shows the service capability as a user meets it: about two tickets per account manager
over three months in every state, breached and escalated ones, quality feedback forms with the
client's signatures, rated ones (by staff and through the link), repeats, some opened from visits;
and every row is what the services recorded."""

import pytest
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from amdesk.demo.builder import DemoBuilder
from amdesk.orgs.models import Staff
from amdesk.service.models import ServiceAlert, Ticket, TicketEvent
from amdesk.service.selectors import service_kpis, tickets_for

CLIENTS = 200


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small bank demo (its "service" step is build_service), rolled back after the last test."""
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=7, clients=CLIENTS)
        assert "service" in [label for label, _step in builder.steps()]
        builder.run()
        yield builder
        transaction.set_rollback(True)


def test_about_two_tickets_per_am_over_three_months_in_every_state(demo, db):
    managers = Staff.objects.filter(roles__code="account_manager").distinct()
    tickets = Ticket.objects.all()
    assert 2 * managers.count() <= tickets.count() <= 3 * managers.count()
    assert set(tickets.values_list("state", flat=True)) == set(Ticket.State.values)
    assert not managers.exclude(tickets__isnull=False).exists()  # every AM has some
    oldest = tickets.order_by("received_at").first().received_at
    assert (timezone.now() - oldest).days <= 92
    assert not tickets.filter(received_at__gt=timezone.now()).exists()
    assert set(tickets.values_list("ticket_type", flat=True)) == set(Ticket.Type.values)
    assert tickets.filter(channel="regulator", priority="urgent").exists()


def test_each_resolution_answers_its_own_ticket(demo, db):
    from amdesk.demo.service import COMPLAINTS, QUALITY

    paired = {subject: resolution for subject, _said, resolution in COMPLAINTS + QUALITY}
    resolved = Ticket.objects.exclude(resolution="").filter(subject__in=paired)
    assert resolved.exists()
    for ticket in resolved:
        assert ticket.resolution == paired[ticket.subject], ticket.subject


def test_breached_tickets_are_escalated_to_a_supervisor(demo, db):
    now = timezone.now()
    statuses = set(
        tickets_for(Staff.objects.get(username="head1"), now=now).values_list("sla_status", flat=True)
    )
    assert {"breached", "paused", "met"} <= statuses
    escalated = Ticket.objects.filter(escalated_at__isnull=False)
    assert escalated.exists()
    assert ServiceAlert.objects.filter(alert_kind="breach", ticket__in=escalated).exists()
    # the escalation goes to a supervisor, never the ticket's own AM
    assert not escalated.filter(escalated_to=F("owner")).exists()


def test_quality_feedback_forms_are_signed_approved_and_received(demo, db):
    replaced = Ticket.objects.filter(ticket_type="quality", remedy="replacement", approval="approved")
    assert replaced.exists()
    for ticket in replaced:
        assert ticket.form_signature.startswith("data:image/png;base64,") and ticket.form_signed_at
        assert ticket.receipt_signed_at and ticket.replacement_handed_at
        assert ticket.form_signed_at <= ticket.approved_at <= ticket.receipt_signed_at <= ticket.resolved_at
        assert ticket.approved_by_id != ticket.owner_id and ticket.inspection_notes and ticket.cause


def test_rated_repeated_and_from_visits(demo, db):
    assert Ticket.objects.filter(rated_via="staff", satisfaction__isnull=False).exists()
    assert Ticket.objects.filter(rated_via="link", satisfaction__isnull=False).exists()
    assert Ticket.objects.filter(satisfaction__lte=3).exists()  # not everyone is pleased
    assert Ticket.objects.filter(repeat_of__isnull=False).exists()
    from_visits = Ticket.objects.filter(visit__isnull=False)
    assert from_visits.exists() and not from_visits.exclude(channel="visit").exists()
    assert not from_visits.exclude(client=F("visit__client")).exists()


def test_every_ticket_has_its_history_in_order(demo, db):
    for ticket in Ticket.objects.prefetch_related("events"):
        events = list(ticket.events.all())
        assert events[0].action == "open" and events[0].at == ticket.received_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].to_state == ticket.state or events[-1].action in (
            "rate",
            "rating_link",
            "sign_form",
            "sign_receipt",
            "escalate",
        )
    assert TicketEvent.objects.filter(action="close", actor__isnull=False).exists()


def test_the_kpi_page_has_figures_to_show(demo, db):
    today = timezone.localdate()
    report = service_kpis(
        viewer=Staff.objects.get(username="head1"),
        start=today.replace(day=1) - timezone.timedelta(days=90),
        end=today,
    )
    assert report.total.received == Ticket.objects.count()
    assert report.total.first_feedback_breaches > 0 and report.total.satisfaction_rate is not None
    assert 0 < report.total.handling_rate < 100
