"""Ticket pages: scope, the list's order and countdowns, opening from a visit, the workflow buttons,
stale versions that keep what was typed, the quality feedback form, rating links, KPIs, query counts."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from amdesk.service.models import RatingLink, ServiceAlert, Ticket
from amdesk.service.selectors import desk_tickets
from amdesk.service.services import ticket_sla_sweep
from amdesk.service.services.common import stale
from tests.clients.factories import make_client
from tests.service.factories import SIGNATURE, make_service_desk, move, open_ticket, resolved_ticket, walk
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def stale_message() -> str:
    """The service's "someone changed it" message as the (Chinese) page shows it."""
    with translation.override("zh-hans"):
        return escape(str(stale()))


@pytest.fixture
def mine(account_manager):
    return open_ticket(account_manager, make_client(account_manager, "王小明"), subject="柜台排队太久")


@pytest.fixture
def theirs(other_manager):
    return open_ticket(other_manager, make_client(other_manager, "李大壮"), subject="理财收益不符")


def test_every_page_honours_the_scope(
    org,
    mine,
    theirs,
    account_manager,
    team2_manager,
    supervisor,
    other_supervisor,
    branch_head,
    admin,
    client_for,
):
    desk = make_service_desk(org)
    # role × (list, detail, feedback, print, act): 200 where the ticket is in scope, 404 where not
    expectations = [
        (account_manager, {mine: 200, theirs: 404}),
        (team2_manager, {mine: 404, theirs: 404}),
        (supervisor, {mine: 200, theirs: 404}),
        (other_supervisor, {mine: 404, theirs: 200}),
        (branch_head, {mine: 200, theirs: 200}),
        (admin, {mine: 200, theirs: 200}),
        (desk, {mine: 200, theirs: 200}),  # the service desk sees its branch
    ]
    for user, codes in expectations:
        page = client_for(user)
        listing = _html(page.get("/service/?who=team&state="))
        for ticket, code in codes.items():
            assert (ticket.subject in listing) == (code == 200), (user.username, ticket.subject)
            for url in (
                f"/service/{ticket.pk}/",
                f"/service/{ticket.pk}/feedback/",
                f"/service/{ticket.pk}/feedback/print/",
            ):
                assert page.get(url).status_code == code, (user.username, url)
            if code == 404:
                # nothing changes through a ticket one cannot see
                response = page.post(
                    f"/service/{ticket.pk}/act/give_first_feedback/", {"version": 1, "message": "已联系"}
                )
                assert response.status_code == 404
                assert page.post(f"/service/{ticket.pk}/rating-link/").status_code == 404
    ticket = Ticket.objects.get(pk=theirs.pk)
    assert ticket.state == Ticket.State.RECEIVED and not RatingLink.objects.exists()


def test_an_account_manager_cannot_open_a_ticket_for_another_ams_client_or_visit(
    account_manager, other_manager, client_for
):
    client = make_client(other_manager, "李大壮")
    visit = record_visit(other_manager, client)
    page = client_for(account_manager)
    assert page.get(f"/service/new/?client={client.pk}").status_code == 404
    assert page.get(f"/service/new/?visit={visit.pk}").status_code == 404
    response = page.post("/service/new/", {"client": client.pk, "ticket_type": "complaint", "subject": "x"})
    assert response.status_code == 404 and not Ticket.objects.exists()
    # the picker only finds clients in his scope
    make_client(account_manager, "李小花")
    found = _html(page.get("/service/new/?q=李"))
    assert "李小花" in found and "李大壮" not in found


def test_home_lists_breached_first_then_due_soon_with_a_countdown(account_manager, client_for, time_machine):
    client = make_client(account_manager, "王小明")
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    on_time = open_ticket(account_manager, client, subject="刚收到的咨询", at=now - timedelta(minutes=5))
    breached = open_ticket(account_manager, client, subject="超时未反馈", at=now - timedelta(hours=8))
    due_soon = open_ticket(account_manager, client, subject="快到期的投诉", at=now - timedelta(hours=5))
    done = resolved_ticket(account_manager, client, subject="已解决的投诉")
    html = _html(client_for(account_manager).get("/service/"))
    order = [m.group(1) for m in re.finditer(r'data-testid="ticket-(\d+)" data-sla="(?:\w+)"', html)]
    assert order == [str(breached.pk), str(due_soon.pk), str(on_time.pk)]  # the resolved one: not "open"
    assert str(done.pk) not in order
    row = re.search(rf'data-testid="ticket-{breached.pk}".*?</tr>', html, re.S).group(0)
    assert 'data-sla="breached"' in row and "已超时" in row
    deadline = timezone.localtime(breached.first_feedback_due).isoformat()
    assert f'data-deadline="{deadline}"' in row  # the script counts from here
    row = re.search(rf'data-testid="ticket-{on_time.pk}".*?</tr>', html, re.S).group(0)
    assert "剩余" in row and "5小时55分钟" in row
    # filters: state "all" shows the resolved one; SLA "breached" only the breached one
    page = client_for(account_manager)
    assert "已解决的投诉" in _html(page.get("/service/?state="))
    only = _html(page.get("/service/?sla=breached"))
    assert "超时未反馈" in only and "快到期的投诉" not in only


def test_supervisor_sees_the_teams_tickets_and_escalations(
    account_manager, team2_manager, supervisor, client_for
):
    late = open_ticket(
        account_manager,
        make_client(account_manager),
        subject="超时的投诉",
        at=timezone.now() - timedelta(hours=7),
    )
    open_ticket(team2_manager, make_client(team2_manager), subject="二组的投诉")
    ticket_sla_sweep()
    assert ServiceAlert.objects.filter(recipient=supervisor, alert_kind="breach").exists()
    html = _html(client_for(supervisor).get("/service/"))
    assert "超时的投诉" in html and "二组的投诉" in html
    escalations = re.search(r'data-testid="escalations".*?</section>', html, re.S).group(0)
    assert late.number in escalations
    assert 'data-testid="service-alerts"' in html
    # marking alerts read empties the panel
    client_for(supervisor).post("/service/alerts/read/")
    assert 'data-testid="service-alerts"' not in _html(client_for(supervisor).get("/service/"))
    # the AM's own view has no team switch
    assert 'data-testid="who-team"' not in _html(client_for(account_manager).get("/service/"))


def test_open_a_ticket_from_a_visit_record(account_manager, client_for):
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, opinions="理财到期款未按时到账")
    page = client_for(account_manager)
    assert f"/service/new/?visit={visit.pk}" in _html(page.get(f"/visits/{visit.pk}/"))
    form = _html(page.get(f"/service/new/?visit={visit.pk}"))
    assert "王小明" in form and "理财到期款未按时到账" in form
    assert re.search(r'<option value="visit" selected>', form)
    response = page.post(
        "/service/new/",
        {
            "visit": visit.pk,
            "ticket_type": "complaint",
            "channel": "visit",
            "priority": "high",
            "subject": "到期款未到账",
            "description": "理财到期款未按时到账",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/{ticket.pk}/"
    assert (ticket.visit, ticket.client, ticket.channel, ticket.owner) == (
        visit,
        client,
        "visit",
        account_manager,
    )
    detail = _html(page.get(response["Location"]))
    assert f"/visits/{visit.pk}/" in detail and ticket.number in detail


def test_the_new_ticket_form_keeps_what_was_typed(account_manager, client_for):
    client = make_client(account_manager, "王小明")
    response = client_for(account_manager).post(
        "/service/new/", {"client": client.pk, "ticket_type": "complaint", "description": "柜员态度差"}
    )
    html = _html(response)
    assert response.status_code == 200 and "柜员态度差" in html and not Ticket.objects.exists()


def test_first_feedback_then_resolve_through_the_buttons(mine, account_manager, client_for):
    page = client_for(account_manager)
    html = _html(page.get(f"/service/{mine.pk}/"))
    assert 'data-testid="do-give_first_feedback"' in html and 'data-testid="do-resolve"' not in html
    response = page.post(
        f"/service/{mine.pk}/act/give_first_feedback/", {"version": mine.version, "message": "已致电客户致歉"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == Ticket.State.FIRST_FEEDBACK and mine.first_feedback == "已致电客户致歉"
    html = _html(page.get(f"/service/{mine.pk}/"))
    assert 'data-testid="do-resolve"' in html and "已致电客户致歉" in html  # in the timeline
    # the AM may not close: that is for the desk or his supervisor
    assert 'data-testid="do-close"' not in html
    page.post(
        f"/service/{mine.pk}/act/resolve/",
        {"version": mine.version, "resolution": "已调整排班", "is_valid": "true"},
    )
    mine.refresh_from_db()
    assert mine.state == Ticket.State.RESOLVED and mine.is_valid is True
    timeline = re.search(
        r'data-testid="ticket-timeline".*?</section>', _html(page.get(f"/service/{mine.pk}/")), re.S
    )
    assert timeline.group(0).count("<li>") == 3 and "苏婷瑶" in timeline.group(0)


def test_a_stale_version_says_so_and_keeps_what_was_typed(mine, account_manager, supervisor, client_for):
    seen = mine.version
    walk(mine, supervisor, "give_first_feedback")  # the supervisor was faster
    response = client_for(account_manager).post(
        f"/service/{mine.pk}/act/give_first_feedback/", {"version": seen, "message": "我打给客户了"}
    )
    html = _html(response)
    assert response.status_code == 409
    assert stale_message() in html and "我打给客户了" in html  # what he typed is still there
    mine.refresh_from_db()
    assert mine.first_feedback != "我打给客户了"
    # the failed step is not offered any more (the ticket moved on), the page shows the ticket as it is
    assert "已致电客户说明情况" in html


def test_a_refused_step_marks_the_field_and_keeps_the_text(mine, account_manager, client_for):
    walk(mine, account_manager, "give_first_feedback")
    mine.refresh_from_db()
    response = client_for(account_manager).post(
        f"/service/{mine.pk}/act/resolve/", {"version": mine.version, "resolution": "已向客户解释"}
    )
    html = _html(response)
    assert response.status_code == 200 and "已向客户解释" in html
    assert "请说明投诉是否属实" in html or "invalid-feedback" in html
    assert re.search(r'<details class="card mb-2" data-testid="action-resolve" open>', html)
    mine.refresh_from_db()
    assert mine.state == Ticket.State.FIRST_FEEDBACK


def test_quality_feedback_form_signed_approved_replaced_and_printed(account_manager, supervisor, client_for):
    ticket = open_ticket(account_manager, make_client(account_manager, "王店主"), ticket_type="quality")
    walk(ticket, account_manager, "give_first_feedback", "investigate")
    ticket.refresh_from_db()
    page = client_for(account_manager)
    html = _html(page.get(f"/service/{ticket.pk}/feedback/"))
    assert 'data-testid="sign-form"' in html and "signature_pad.umd.js" in html
    response = page.post(
        f"/service/{ticket.pk}/feedback/",
        {"version": ticket.version, "inspection_notes": "两条包装破损", "cause": "运输途中挤压"},
    )
    assert response.status_code == 302
    page.post(
        f"/service/{ticket.pk}/sign/", {"which": "form", "signature": SIGNATURE, "signer_name": "王店主"}
    )
    ticket.refresh_from_db()
    assert (
        ticket.inspection_notes == "两条包装破损"
        and ticket.form_signed
        and ticket.form_signer_name == "王店主"
    )
    page.post(
        f"/service/{ticket.pk}/act/request_approval/",
        {"version": ticket.version, "remedy": "replacement", "remedy_detail": "调换两条"},
    )
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.AWAITING_APPROVAL
    # the supervisor approves from the feedback page
    boss = client_for(supervisor)
    assert 'data-testid="do-approve"' in _html(boss.get(f"/service/{ticket.pk}/feedback/"))
    boss.post(f"/service/{ticket.pk}/act/approve/", {"version": ticket.version, "note": "同意调换"})
    ticket.refresh_from_db()
    assert ticket.approval == "approved" and ticket.approved_by == supervisor
    # replacement handed over, the client signs the receipt
    assert 'data-testid="sign-receipt"' in _html(page.get(f"/service/{ticket.pk}/feedback/"))
    page.post(
        f"/service/{ticket.pk}/sign/", {"which": "receipt", "signature": SIGNATURE, "signer_name": "王店主"}
    )
    ticket.refresh_from_db()
    assert ticket.receipt_signed and ticket.replacement_handed_at is not None
    sheet = _html(page.get(f"/service/{ticket.pk}/feedback/print/"))
    for column in (
        "商品及服务质量信息反馈单",
        "现场查看",
        "原因",
        "客户确认",
        "两条包装破损",
        "同意调换",
        ticket.number,
    ):
        assert column in sheet, column
    assert sheet.count('src="data:image/png;base64,') == 2


def test_feedback_form_stale_version_keeps_the_notes(account_manager, client_for):
    ticket = open_ticket(account_manager, make_client(account_manager), ticket_type="quality")
    seen = ticket.version
    walk(ticket, account_manager, "give_first_feedback")
    response = client_for(account_manager).post(
        f"/service/{ticket.pk}/feedback/", {"version": seen, "inspection_notes": "烟支受潮发霉", "cause": ""}
    )
    html = _html(response)
    assert response.status_code == 409 and "烟支受潮发霉" in html and stale_message() in html


def test_staff_record_the_rating_or_create_a_one_time_link(account_manager, client_for):
    ticket = resolved_ticket(account_manager, make_client(account_manager))
    page = client_for(account_manager)
    assert 'data-testid="rating-section"' in _html(page.get(f"/service/{ticket.pk}/"))
    response = page.post(f"/service/{ticket.pk}/rating-link/")
    html = _html(response)
    url = re.search(
        r'data-testid="rating-url" value="([^"]+)"|value="([^"]+)"[^>]*data-testid="rating-url"', html
    )
    link = (url.group(1) or url.group(2)) if url else ""
    assert "/service/rate/" in link and RatingLink.objects.filter(ticket=ticket).count() == 1
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in RatingLink.objects.get().token_hash  # only the hash is stored
    # the staff rating
    other = resolved_ticket(account_manager, make_client(account_manager))
    page.post(f"/service/{other.pk}/rate/", {"score": "4", "comment": "处理及时"})
    other.refresh_from_db()
    assert (other.satisfaction, other.rated_via, other.rating_comment) == (4, "staff", "处理及时")
    assert 'data-testid="rating-section"' not in _html(page.get(f"/service/{other.pk}/"))


def test_supervisor_closes_with_the_clients_satisfaction(account_manager, supervisor, client_for):
    ticket = walk(resolved_ticket(account_manager, make_client(account_manager)), account_manager, "confirm")
    response = client_for(supervisor).post(
        f"/service/{ticket.pk}/act/close/", {"version": ticket.version, "satisfaction": "5", "note": ""}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED and ticket.satisfaction == 5 and ticket.rated_by == supervisor


def test_kpi_page_shows_targets_side_by_side_and_the_breaches(
    account_manager, team2_manager, other_manager, supervisor, client_for
):
    late = open_ticket(
        account_manager,
        make_client(account_manager),
        subject="超时投诉",
        at=timezone.now() - timedelta(hours=7),
    )
    done = resolved_ticket(team2_manager, make_client(team2_manager))
    walk(done, team2_manager, "confirm")
    move(done, supervisor, "close", satisfaction=5)
    open_ticket(other_manager, make_client(other_manager), subject="三组投诉")
    html = _html(client_for(supervisor).get("/service/kpis/"))
    assert (
        f'data-testid="kpi-row-{account_manager.pk}"' in html
        and f'data-testid="kpi-row-{team2_manager.pk}"' in html
    )
    assert f'data-testid="kpi-row-{other_manager.pk}"' not in html
    row = re.search(rf'data-testid="kpi-row-{team2_manager.pk}".*?</tr>', html, re.S).group(0)
    assert 'class="kpi-met">100.0%' in row  # handled and satisfied: green
    row = re.search(rf'data-testid="kpi-row-{account_manager.pk}".*?</tr>', html, re.S).group(0)
    assert 'class="kpi-missed">0.0%' in row  # first feedback late: red
    breaches = re.search(r'data-testid="breach-list".*?</section>', html, re.S).group(0)
    assert late.number in breaches and "三组投诉" not in breaches
    # the AM sees his own line only; other groupings and periods answer
    own = _html(client_for(account_manager).get("/service/kpis/"))
    assert f'data-testid="kpi-row-{account_manager.pk}"' in own and f"kpi-row-{team2_manager.pk}" not in own
    page = client_for(supervisor)
    quarter = f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"
    for query in (
        "?group=team",
        "?group=branch",
        f"?period=quarter&quarter={quarter}",
        "?period=custom&start=2020-01-01&end=2020-01-31",
        "?period=month&month=bad",
    ):
        assert page.get(f"/service/kpis/{query}").status_code == 200, query
    assert "超时投诉" not in _html(page.get("/service/kpis/?period=custom&start=2020-01-01&end=2020-01-31"))


def test_desk_partial_shows_the_counts(account_manager, supervisor):
    open_ticket(account_manager, make_client(account_manager), at=timezone.now() - timedelta(hours=7))
    html = render_to_string("service/partials/desk.html", {"service_desk": desk_tickets(supervisor)})
    assert re.search(r'data-testid="scope-breached">1<', html)
    html = render_to_string("service/partials/desk.html", {"service_desk": desk_tickets(account_manager)})
    assert re.search(r'data-testid="tickets-breached">1<', html) and "scope-breached" not in html


def test_pages_take_a_fixed_number_of_queries(
    account_manager, team2_manager, supervisor, client_for, django_assert_max_num_queries
):
    for index in range(8):
        for owner in (account_manager, team2_manager):
            client = make_client(owner, f"客户{owner.pk}{index}")
            ticket = open_ticket(owner, client, at=timezone.now() - timedelta(hours=index))
            if index % 2:
                walk(ticket, owner, "give_first_feedback", "resolve")
    ticket_sla_sweep()
    ticket = Ticket.objects.filter(owner=account_manager).first()
    am, boss = client_for(account_manager), client_for(supervisor)
    for page, url in (
        (am, "/service/"),
        (am, "/service/?state="),
        (boss, "/service/"),
        (boss, "/service/?who=team&state="),
        (boss, "/service/kpis/"),
        (boss, "/service/kpis/?group=branch"),
        (am, f"/service/{ticket.pk}/"),
        (boss, f"/service/{ticket.pk}/"),
        (am, f"/service/{ticket.pk}/feedback/"),
    ):
        with django_assert_max_num_queries(25):
            assert page.get(url).status_code == 200, url


def test_the_service_desk_closes_a_resolved_ticket_with_the_rating(org, account_manager, client_for):
    desk = make_service_desk(org)
    ticket = resolved_ticket(account_manager, make_client(account_manager))
    page = client_for(desk)
    html = _html(page.get(f"/service/{ticket.pk}/"))
    assert 'data-testid="do-close"' in html
    # from "resolved" (the client never confirmed) a note is required: the page says so, keeps the score
    response = page.post(f"/service/{ticket.pk}/act/close/", {"version": ticket.version, "satisfaction": "3"})
    html = _html(response)
    assert response.status_code == 200 and 'class="invalid-feedback d-block"' in html
    assert re.search(r'<option value="3" selected>', html)
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.RESOLVED
    page.post(
        f"/service/{ticket.pk}/act/close/",
        {"version": ticket.version, "satisfaction": "3", "note": "客户电话回访认可"},
    )
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED and ticket.satisfaction == 3


def test_the_list_pages_through_in_the_same_order(account_manager, client_for, monkeypatch):
    monkeypatch.setattr("amdesk.service.views.tickets.PAGE_SIZE", 2)
    client = make_client(account_manager)
    now = timezone.now()
    made = [
        open_ticket(account_manager, client, at=now - timedelta(hours=hours)) for hours in (1, 2, 3, 7, 8)
    ]
    page = client_for(account_manager)
    seen = []
    for number in (1, 2, 3):
        html = _html(page.get(f"/service/?page={number}"))
        seen += [int(m) for m in re.findall(r'data-testid="ticket-(\d+)" data-sla=', html)]
        assert ('data-testid="next-page"' in html) == (number < 3)
    # breached (the oldest deadline first), then due soon, then on time
    assert seen == [made[4].pk, made[3].pk, made[2].pk, made[1].pk, made[0].pk]
