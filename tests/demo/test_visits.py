"""The demo shows the visit capability as a user meets it: am01's week with today's route, six months
of visits, key clients overdue, findings waiting for his supervisor, post-loan inspections overdue;
and every row is what the services would have recorded."""

from datetime import time, timedelta

import pytest
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.test import override_settings
from django.utils import timezone

from amdesk.clients.models import Client, ClientOwnership
from amdesk.demo.builder import DemoBuilder
from amdesk.demo.visits import CITIES, JITTER
from amdesk.orgs.models import Staff
from amdesk.visits.models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    LoanInspection,
    Visit,
    VisitFinding,
    VisitSchedule,
    VisitSettings,
)
from amdesk.visits.selectors import (
    findings_for,
    inspections_overdue,
    status_q,
    today_route,
    visit_kpis,
    with_visit_status,
)
from amdesk.visits.services import inspections_schedule, week_of

CLIENTS = 300


def _a_wednesday():
    """The latest Wednesday: a working day with days of the week behind it, whatever day tests run."""
    today = timezone.localdate()
    return today - timedelta(days=(today.weekday() - 2) % 7)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small bank demo for the module's tests, rolled back after the last."""
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=7, clients=CLIENTS, today=_a_wednesday())
        builder.run()
        yield builder
        transaction.set_rollback(True)


@pytest.fixture
def am01(demo, db):
    return Staff.objects.get(username="am01")


def test_am01_has_this_week_reviewed_or_submitted_next_week_proposed_and_a_route_today(demo, am01):
    today, monday = demo.today, week_of(demo.today)
    this = VisitSchedule.objects.get(owner=am01, week_start=monday)
    assert this.state in (VisitSchedule.State.SUBMITTED, VisitSchedule.State.REVIEWED)
    following = VisitSchedule.objects.get(owner=am01, week_start=monday + timedelta(days=7))
    assert following.state == VisitSchedule.State.PROPOSED and following.entries.exists()
    # his desk: today's route has clients, none visited yet; Monday's and Tuesday's mostly done
    route = today_route(am01, today=today)
    assert route.exists() and not route.filter(visit__isnull=False).exists()
    done = Visit.objects.filter(owner=am01, entry__schedule=this)
    assert done.exists() and not done.filter(visited_on__gte=today).exists()
    # a visit that fulfils an entry is that entry's client on that entry's day, and planned
    linked = Visit.objects.filter(entry__isnull=False)
    assert not linked.exclude(client=F("entry__client"), visited_on=F("entry__day"), planned=True).exists()


def test_six_months_of_visits_on_working_days_in_office_hours(demo, am01):
    visits = list(Visit.objects.filter(owner=am01).order_by("started_at"))
    assert demo.today - timedelta(days=190) <= visits[0].visited_on <= demo.today - timedelta(days=170)
    assert len({(v.visited_on.year, v.visited_on.month) for v in visits}) >= 6
    codes = set(ChecklistItem.objects.filter(purpose="visit", is_active=True).values_list("code", flat=True))
    for visit in visits:
        start, end = timezone.localtime(visit.started_at), timezone.localtime(visit.ended_at)
        assert visit.visited_on == start.date() and start.weekday() < 5
        assert time(9) <= start.time() and end.time() <= time(17, 30) and 20 <= visit.minutes <= 60
        assert set(visit.checklist) <= codes
        if visit.mode == Visit.Mode.ON_SITE:
            assert visit.is_signed != bool(visit.unsigned_reason)  # signed, or why not
        else:
            assert not visit.is_signed and visit.latitude is None
    on_site = sum(v.mode == Visit.Mode.ON_SITE for v in visits)
    assert len(visits) / 2 < on_site < len(visits)  # mostly on site, some by phone or video


def test_some_of_his_key_clients_are_overdue_most_are_not(demo, am01):
    keys = with_visit_status(Client.objects.filter(owner=am01, tier__is_key=True))
    keys = keys.filter(visit_interval__isnull=False)
    overdue = keys.filter(status_q("overdue", today=demo.today)).count()
    assert 0 < overdue < keys.count()


def test_his_supervisor_has_findings_waiting_and_some_closed(demo, db):
    sup1 = Staff.objects.get(username="sup1")
    waiting = findings_for(sup1, open_only=True)
    assert waiting.exists()
    closed = VisitFinding.objects.filter(closed_at__isnull=False).select_related("owner")
    assert closed.exists() and all(f.outcome and f.closed_by_id == f.owner.supervisor_id for f in closed)
    # each finding is what visit_record raises for its visit
    for finding in VisitFinding.objects.select_related("visit"):
        visit = finding.visit
        assert (finding.client_id, finding.owner_id, finding.org_node_id) == (
            visit.client_id,
            visit.owner_id,
            visit.org_node_id,
        )
        assert finding.note == visit.market_anomaly and visit.visited_on >= demo.today - timedelta(days=40)
    for visit in Visit.objects.exclude(market_anomaly="").prefetch_related("findings"):
        assert {f.kind for f in visit.findings.all()} == {"market_anomaly", *visit.anomalies}
    # the kinds ticked are the preset's (a bank's, not tobacco's), and so are the outcomes
    kinds = set(AnomalyKind.objects.filter(is_active=True).values_list("code", flat=True))
    assert all(code in kinds for visit in Visit.objects.exclude(anomalies=[]) for code in visit.anomalies)
    assert not Visit.objects.filter(anomalies__icontains="tobacco").exists()
    assert all(f.outcome.is_active for f in closed.select_related("outcome"))


def test_post_loan_inspections_done_due_and_some_overdue(demo, db):
    assert VisitSettings.current().inspected_product_lines == ["loan"]
    head = Staff.objects.get(username="head1")
    assert inspections_overdue(head, today=demo.today).exists()
    assert LoanInspection.objects.filter(done_on__isnull=True, due_on__gte=demo.today).exists()
    done = LoanInspection.objects.filter(done_on__isnull=False).select_related("visit", "client")
    assert done.exists()
    for inspection in done:
        assert inspection.use_of_funds and inspection.repayment_source and inspection.risk_level
        assert (inspection.owner_id, inspection.org_node_id) == (
            inspection.client.owner_id,
            inspection.client.org_node_id,
        )
        if inspection.visit:
            assert inspection.visit.kind == Visit.Kind.POST_LOAN
            assert (inspection.visit.client_id, inspection.visit.visited_on) == (
                inspection.client_id,
                inspection.done_on,
            )
    # every loan's next inspection is where the scheduler puts it, and none is missing
    settings = VisitSettings.current()
    last_done = dict(done.values("loan").annotate(last=Max("done_on")).values_list("loan", "last"))
    for inspection in LoanInspection.objects.filter(done_on__isnull=True, kind="scheduled").select_related(
        "loan"
    ):
        if inspection.loan_id in last_done:
            assert inspection.due_on == last_done[inspection.loan_id] + timedelta(
                settings.inspection_interval_days
            )
        else:
            assert inspection.due_on == inspection.loan.opened_on + timedelta(settings.first_inspection_days)
    assert inspections_schedule(today=demo.today) == 0


def test_visits_belong_to_the_clients_owner_at_the_time(demo, db):
    assert not Visit.objects.exclude(owner=F("client__owner"), org_node=F("client__org_node")).exists()
    someone_else = ClientOwnership.objects.filter(
        client=OuterRef("client"), started_at__lte=OuterRef("started_at")
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("started_at")))
    assert not Visit.objects.filter(Exists(someone_else.exclude(owner=OuterRef("owner")))).exists()


def test_clients_have_places_around_the_citys_districts(demo, db):
    places = ClientLocation.objects.all()
    assert places.count() > 0.8 * CLIENTS
    area_only = places.filter(latitude__isnull=True)
    assert 0 < area_only.count() < 0.2 * places.count() and not area_only.filter(area="").exists()
    centres = {name: (lat, lng) for name, lat, lng in CITIES["杭州"]}
    for place in places.exclude(latitude__isnull=True):
        lat, lng = centres[place.area]
        assert abs(float(place.latitude) - lat) <= JITTER and abs(float(place.longitude) - lng) <= JITTER


def test_the_team_page_figures_are_measured_for_am01(demo, am01):
    # The demo's clients joined before the visit history, so period compliance has clients to count
    today = _a_wednesday()
    kpis = visit_kpis(Staff.objects.filter(pk=am01.pk), start=today - timedelta(days=29), end=today)[am01.pk]
    assert kpis.contacts > 0 and kpis.avg_minutes is not None
    assert kpis.compliance_rate(key=True) is not None and 0 < kpis.compliance_rate() < 100
