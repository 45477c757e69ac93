"""Visit pages: scope, what the AM and the supervisor see, forms that keep what was typed, query counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from amdesk.visits.models import ChecklistItem, ScheduleEntry, Visit, VisitFinding, VisitNorm, VisitSchedule
from amdesk.visits.services import schedule_propose, week_of
from tests.clients.factories import make_client, tier

from .factories import SIGNATURE, place, record_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def norms(preset):  # after the preset, which replaces the norms of another industry
    VisitNorm.objects.all().delete()
    VisitNorm.objects.create(name="重点客户每周", tier=tier("key"), interval_days=7)
    VisitNorm.objects.create(name="一般客户每两周", tier=tier("ordinary"), interval_days=14)


@pytest.fixture
def items(preset):
    ChecklistItem.objects.update_or_create(
        code="t-products", defaults={"name": "介绍产品", "is_active": True}
    )


def _old(client, days=60):
    type(client).objects.filter(pk=client.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_pages_show_only_what_the_viewer_may_see(
    norms, account_manager, team2_manager, other_manager, supervisor, other_supervisor, client_for
):
    mine = make_client(account_manager, "王小明")
    theirs = make_client(other_manager, "李大壮")
    my_visit = record_visit(account_manager, mine, market_anomaly="周边有无证摊贩")
    their_visit = record_visit(other_manager, theirs)

    am = client_for(account_manager)
    assert am.get(f"/visits/{my_visit.pk}/").status_code == 200
    assert am.get(f"/visits/{their_visit.pk}/").status_code == 404
    assert am.get(f"/visits/client/{theirs.pk}/").status_code == 404
    assert am.get(f"/visits/new/?client={theirs.pk}").status_code == 404
    listing = am.get("/visits/records/").content.decode()
    assert "王小明" in listing and "李大壮" not in listing

    boss = client_for(supervisor)
    assert boss.get(f"/visits/{my_visit.pk}/").status_code == 200
    assert "周边有无证摊贩" in boss.get("/visits/findings/").content.decode()
    assert boss.get(f"/visits/{their_visit.pk}/").status_code == 404

    stranger = client_for(other_supervisor)
    assert stranger.get(f"/visits/{my_visit.pk}/").status_code == 404
    assert "周边有无证摊贩" not in stranger.get("/visits/findings/").content.decode()
    finding = VisitFinding.objects.get()
    assert stranger.post(f"/visits/findings/{finding.pk}/close/", {"outcome": "warning"}).status_code == 404


def test_the_record_form_keeps_what_was_typed_and_says_what_is_missing(
    norms, items, account_manager, client_for
):
    client = make_client(account_manager, "王小明")
    page = client_for(account_manager)
    response = page.post(
        "/visits/new/",
        {
            "client": client.pk,
            "kind": "special",
            "mode": "on_site",
            "started_at": "2026-11-20T09:00",
            "ended_at": "2026-11-20T09:40",
            "checklist": ["t-products"],
            "opinions": "希望多一些上门服务",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请说明客户发生了什么情况需要特殊访问" in html
    assert "希望多一些上门服务" in html
    assert Visit.objects.count() == 0

    response = page.post(
        "/visits/new/",
        {
            "client": client.pk,
            "kind": "regular",
            "mode": "on_site",
            "started_at": "2026-11-20T09:00",
            "ended_at": "2026-11-20T09:40",
            "checklist": ["t-products"],
            "signature": SIGNATURE,
            "signer_name": "王小明",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit.pk}/"
    assert visit.is_signed and visit.minutes == 40


def test_an_unsigned_record_is_signed_later_on_its_page(norms, account_manager, supervisor, client_for):
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, signed=False)
    assert (
        client_for(supervisor).post(f"/visits/{visit.pk}/sign/", {"signature": SIGNATURE}).status_code == 302
    )
    visit.refresh_from_db()
    assert not visit.is_signed  # only the AM who made the visit collects the signature
    client_for(account_manager).post(
        f"/visits/{visit.pk}/sign/", {"signature": SIGNATURE, "signer_name": "王"}
    )
    visit.refresh_from_db()
    assert visit.is_signed and visit.signer_name == "王"


def test_the_am_opens_next_week_edits_and_submits_and_the_supervisor_returns_it(
    norms, account_manager, supervisor, client_for
):
    overdue = make_client(account_manager, "王小明", tier="key")
    _old(overdue)
    place(overdue, 30.25, 120.13, "西湖区")
    extra = make_client(account_manager, "赵六")
    next_monday = week_of(timezone.localdate()) + timedelta(days=7)
    am = client_for(account_manager)

    response = am.get(f"/visits/schedules/week/{next_monday.isoformat()}/")
    schedule = VisitSchedule.objects.get(owner=account_manager, week_start=next_monday)
    assert response["Location"] == f"/visits/schedules/{schedule.pk}/"
    assert list(schedule.entries.values_list("client__name", flat=True)) == ["王小明"]
    week = am.get(f"/visits/schedules/{schedule.pk}/").content.decode()
    assert "王小明" in week and "赵六" in week  # 赵六 is offered in the "add a client" picker

    wednesday = next_monday + timedelta(days=2)
    am.post(
        f"/visits/schedules/{schedule.pk}/entries/",
        {"client": extra.pk, "day": wednesday.isoformat(), "mode": "phone", "strategy": "电话回访理财到期"},
    )
    added = ScheduleEntry.objects.get(client=extra)
    assert (added.day, added.mode, added.reason) == (wednesday, "phone", "manual")
    day = am.get(f"/visits/schedules/{schedule.pk}/?day={wednesday.isoformat()}").content.decode()
    assert "电话回访理财到期" in day

    am.post(f"/visits/schedules/{schedule.pk}/submit/")
    schedule.refresh_from_db()
    assert schedule.state == VisitSchedule.State.SUBMITTED
    am.post(f"/visits/schedules/{schedule.pk}/entries/{added.pk}/remove/")
    assert ScheduleEntry.objects.filter(pk=added.pk).exists()  # submitted: no more edits

    boss = client_for(supervisor)
    assert "苏婷瑶" in boss.get(f"/visits/schedules/?week={next_monday.isoformat()}").content.decode()
    boss.post(f"/visits/schedules/{schedule.pk}/review/", {"decision": "return", "comment": ""})
    schedule.refresh_from_db()
    assert schedule.state == VisitSchedule.State.SUBMITTED  # returning needs a comment
    boss.post(f"/visits/schedules/{schedule.pk}/review/", {"decision": "return", "comment": "周三客户太少"})
    schedule.refresh_from_db()
    assert schedule.state == VisitSchedule.State.RETURNED and schedule.reviewer == supervisor
    assert "周三客户太少" in am.get(f"/visits/schedules/{schedule.pk}/").content.decode()


def test_past_weeks_are_not_proposed(norms, account_manager, client_for):
    last_monday = week_of(timezone.localdate()) - timedelta(days=7)
    client_for(account_manager).get(f"/visits/schedules/week/{last_monday.isoformat()}/")
    assert not VisitSchedule.objects.exists()


def test_team_page_and_desk_show_overdue_clients(
    norms, account_manager, team2_manager, supervisor, client_for
):
    late = make_client(account_manager, "王小明", tier="key")
    _old(late)
    fine = make_client(team2_manager, "钱七", tier="key")
    _old(fine)
    record_visit(team2_manager, fine)
    desk = client_for(account_manager).get("/").content.decode()
    assert 'data-testid="clients-overdue">1<' in desk
    team = client_for(supervisor).get("/visits/team/").content.decode()
    rows = {name: team.split(name, 1)[1].split("</tr>", 1)[0] for name in ("苏婷瑶", "钟欢岚")}
    assert "0.0%" in rows["苏婷瑶"] and "100.0%" in rows["钟欢岚"]


def test_list_pages_take_a_fixed_number_of_queries(
    norms, account_manager, team2_manager, supervisor, client_for, django_assert_max_num_queries
):
    for index in range(6):
        for owner in (account_manager, team2_manager):
            client = make_client(owner, f"客户{owner.pk}{index}", tier="key" if index % 2 else "ordinary")
            record_visit(owner, client, timezone.localdate() - timedelta(days=index), market_anomaly="异常")
    schedule_propose(owner=account_manager, week_start=week_of(timezone.localdate()))
    boss = client_for(supervisor)
    am = client_for(account_manager)
    for page, url in (
        (boss, "/visits/records/"),
        (boss, "/visits/team/"),
        (boss, "/visits/findings/"),
        (am, "/visits/"),
    ):
        with django_assert_max_num_queries(25):
            assert page.get(url).status_code == 200


def test_weekly_command_proposes_for_every_account_manager(
    norms, account_manager, team2_manager, other_manager
):
    _old(make_client(account_manager, "王小明", tier="key"))
    call_command("visit-weekly")
    next_monday = week_of(timezone.localdate()) + timedelta(days=7)
    owners = set(
        VisitSchedule.objects.filter(week_start=next_monday).values_list("owner__username", flat=True)
    )
    assert owners == {"am", "am_team2", "am_other"}
    call_command("visit-weekly")
    assert VisitSchedule.objects.filter(week_start=next_monday).count() == 3


def test_an_ad_hoc_inspection_is_added_from_the_client_and_reported(
    norms, account_manager, supervisor, client_for
):
    from amdesk.visits.models import LoanInspection
    from tests.clients.factories import set_holding

    client = make_client(account_manager, "王小明")
    loan = set_holding(client, "business-loan", 500000)
    am = client_for(account_manager)
    assert "临时检查" in am.get(f"/visits/client/{client.pk}/").content.decode()
    assert client_for(supervisor).get(f"/visits/inspections/new/{client.pk}/").status_code == 200
    response = am.post(
        f"/visits/inspections/new/{client.pk}/",
        {"loan": str(loan.pk), "due_on": timezone.localdate().isoformat(), "reason": ""},
    )
    assert response.status_code == 200 and not LoanInspection.objects.exists()  # a reason is required
    am.post(
        f"/visits/inspections/new/{client.pk}/",
        {"loan": str(loan.pk), "due_on": timezone.localdate().isoformat(), "reason": "听说企业欠薪"},
    )
    inspection = LoanInspection.objects.get()
    assert (inspection.kind, inspection.loan_id, inspection.owner_id) == (
        "ad_hoc",
        loan.pk,
        account_manager.pk,
    )
    am.post(
        f"/visits/inspections/{inspection.pk}/",
        {
            "use_of_funds": "用于采购原材料",
            "repayment_source": "经营收入",
            "risk_level": "watch",
            "done_on": timezone.localdate().isoformat(),
        },
    )
    inspection.refresh_from_db()
    assert inspection.is_done and inspection.risk_level == "watch"
    assert (
        "用于采购原材料"
        in client_for(supervisor).get(f"/visits/inspections/{inspection.pk}/").content.decode()
    )


def test_after_a_handover_the_new_owner_opens_the_visits_and_records_the_open_inspection(
    norms, account_manager, team2_manager, supervisor, client_for
):
    from amdesk.clients.services import client_handover
    from amdesk.visits.models import LoanInspection
    from amdesk.visits.services import inspections_schedule
    from tests.clients.factories import set_holding

    from .factories import visit_settings

    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, opinions="想了解经营贷")
    visit_settings(inspected_product_lines=["loan"])
    set_holding(client, "business-loan", 300000)
    inspections_schedule()
    inspection = LoanInspection.objects.get()
    client_handover(actor=supervisor, client_ids=[client.pk], to_staff=team2_manager, reason="岗位调整")

    newcomer = client_for(team2_manager)
    assert "想了解经营贷" in newcomer.get(f"/visits/{visit.pk}/").content.decode()
    assert (
        'data-testid="inspection-form"'
        in newcomer.get(f"/visits/inspections/{inspection.pk}/").content.decode()
    )
    assert client_for(account_manager).get(f"/visits/inspections/{inspection.pk}/").status_code == 404


def test_proposing_again_with_no_day_left_says_so_instead_of_failing(
    norms, account_manager, client_for, time_machine
):
    from datetime import date

    from .factories import at

    saturday = date(2026, 3, 7)
    time_machine.move_to(at(saturday, 10), tick=False)
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=week_of(saturday)
    )
    page = client_for(account_manager)
    response = page.post(f"/visits/schedules/{schedule.pk}/repropose/", follow=True)
    assert response.status_code == 200
    assert "本周已没有可安排的工作日" in response.content.decode()
